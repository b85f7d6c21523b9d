"""A database that many threads can write at once, and the site served over HTTP from this process.

On PostgreSQL every thread simply opens its own connection to the test
database. On SQLite the test database lives in memory, shared by the
threads through SQLite's shared cache, whose table locks fail at once
("database table is locked") instead of waiting, and which is not what
Minbar runs on anyway. So for these tests the in-memory database is copied
to a file and opened with the project's own SQLite options (WAL, IMMEDIATE
transactions, busy timeout: minbar/settings/environment.py), exactly as a
`minbar run` site opens it; the in-memory database is put back afterwards.
"""

import sqlite3

import pytest

from minbar.settings.environment import SQLITE_OPTIONS

from .support import FORWARDED_HEADER, SiteServer


@pytest.fixture(scope="session")
def concurrency_migrated_rows(django_db_setup, django_db_blocker):
    """The rows migrations create (root and home page, Wagtail site, root collection), as JSON."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


def _restore_migrated_rows(rows):
    """Put back the migrations' rows when an earlier test that committed left the database empty."""
    from django.core.management import call_command
    from django.db import connection

    from minbar.newsroom.models import HomePage

    # With the copy on the connection, the flush after each test leaves the
    # database empty (no post_migrate rows with new ids) for this restore.
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = rows
    if not HomePage.objects.exists():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(rows)


@pytest.fixture
def shared_database(transactional_db, concurrency_migrated_rows, tmp_path):
    """The test database, opened by every thread on its own connection, as in production."""
    from django.db import connection

    _restore_migrated_rows(concurrency_migrated_rows)
    if connection.vendor != "sqlite":
        yield connection
        return
    connection.ensure_connection()
    in_memory = connection.connection
    path = tmp_path / "concurrency.sqlite3"
    copy = sqlite3.connect(path)
    in_memory.backup(copy)
    copy.close()
    saved_name, saved_options = connection.settings_dict["NAME"], connection.settings_dict["OPTIONS"]
    # The settings dict is shared by every thread's connection: new ones open the file.
    connection.settings_dict["NAME"] = str(path)
    connection.settings_dict["OPTIONS"] = {**saved_options, **SQLITE_OPTIONS}
    # Sqlite's close() keeps an in-memory database open; hand this thread a fresh connection instead.
    connection.connection = None
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict["NAME"], connection.settings_dict["OPTIONS"] = saved_name, saved_options
        connection.connection = in_memory
        connection.transaction_mode = None
        connection.init_commands = []


@pytest.fixture
def trusted_proxy(settings):
    """The site trusts X-Forwarded-For, as behind the nginx of a real installation, so readers differ by network."""
    settings.MINBAR_TRUSTED_PROXY_HEADER = FORWARDED_HEADER
    settings.MINBAR_TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def site_server(shared_database, trusted_proxy):
    """The whole site served over HTTP from a background thread, each request on its own connection."""
    with SiteServer() as server:
        yield server
