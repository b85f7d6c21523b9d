"""Shared test setup.

The suite runs twice in CI: on SQLite (default) and, with
MINBAR_TEST_DATABASE=postgres, on PostgreSQL with Redis as the cache. In the
second run only database tests are collected. When a server is absent those
tests are skipped with the reason, unless MINBAR_REQUIRE_POSTGRES=1 /
MINBAR_REQUIRE_REDIS=1 say it must be there, in which case the run fails.
"""

import os
import socket
from urllib.parse import urlparse

import pytest

POSTGRES_MODE = os.environ.get("MINBAR_TEST_DATABASE") == "postgres"


def _reachable(url, default_port):
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _missing_servers():
    missing = []
    pg_url = os.environ.get("MINBAR_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/minbar")
    redis_url = os.environ.get("MINBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not _reachable(pg_url, 5432):
        missing.append(("PostgreSQL", pg_url, "MINBAR_REQUIRE_POSTGRES"))
    if not _reachable(redis_url, 6379):
        missing.append(("Redis", redis_url, "MINBAR_REQUIRE_REDIS"))
    return missing


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres_only: runs only against PostgreSQL")
    config.addinivalue_line(
        "markers", "production: starts its own PostgreSQL, Redis, SMTP server and granian (tests/production)"
    )
    if not POSTGRES_MODE:
        return
    for name, url, required_flag in _missing_servers():
        if os.environ.get(required_flag) == "1":
            pytest.exit(f"{name} is required ({required_flag}=1) but nothing answers at {url}", returncode=1)
        config._minbar_skip_reason = f"{name} not reachable at {url}; set {required_flag}=1 to make this an error"


def _empties_the_database(item):
    marker = item.get_closest_marker("django_db")
    commits = marker is not None and marker.kwargs.get("transaction", False)
    return commits or item.get_closest_marker("browser") is not None


def pytest_collection_modifyitems(config, items):
    # Tests that commit (browser tests' live server, worker threads) empty the
    # database after each test; run them last so that no later test finds the
    # migrations' rows gone.
    items.sort(key=_empties_the_database)
    if not POSTGRES_MODE:
        return
    selected, deselected = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None
        if uses_database and item.get_closest_marker("browser") is None:
            selected.append(item)
        else:
            deselected.append(item)
    config.hook.pytest_deselected(items=deselected)
    items[:] = selected
    reason = getattr(config, "_minbar_skip_reason", None)
    if reason:
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MINBAR_PAGE_GENERATION_FILE = tmp_path / "page-generation"
    # Each test's site reuses addresses ("/section-1/…") with other content.
    from minbar.core import page_cache

    page_cache.forget_local_entries()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
