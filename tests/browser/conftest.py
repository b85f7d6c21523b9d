"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's ORM
would refuse to run there; the tests only build data and never await, so the
guard is lifted before Django is imported.

Chromium is the machine's own (`/usr/bin/chromium`, or MINBAR_CHROMIUM);
`playwright install` is never used.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import shutil  # noqa: E402
from importlib import resources  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from .support import DESKTOP  # noqa: E402

CHROMIUM = os.environ.get("MINBAR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the machine's Chromium with the flags that keep it off the network."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/install-chromium.sh or set MINBAR_CHROMIUM")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (no cookies, no cache), closed after the test."""
    contexts = []

    def open_page(**context_args):
        context = browser.new_context(**{"viewport": DESKTOP, **context_args})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source():
    """axe-core as bundled in the pinned axe-playwright-python wheel (no download at test time)."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup, django_db_blocker):
    """The rows migrations create (root and home page, Wagtail site, root collection), as JSON."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def series_site(transactional_db, django_db_serialized_rollback, live_server, migrated_rows):
    """Part 1 of a three-part series (part 2 published, part 3 a draft), served live.

    live_server empties the database after each test; serialized rollback puts
    the migrations' rows back before the next. But once Playwright's event loop
    runs in this thread, Django hands the test a new connection object, which
    lacks the copy made when the database was created, and the rollback would
    silently restore nothing. So the copy is handed to that connection here.
    """
    from django.db import DEFAULT_DB_ALIAS, connections

    from minbar.newsroom.models import HomePage

    from .support import build_series_site

    connection = connections[DEFAULT_DB_ALIAS]
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows
    assert HomePage.objects.exists(), "the home page made by the migrations is gone: a test emptied the database"
    return build_series_site(live_server.url)
