"""A read replica for tests: a second, read-only connection to the test database.

A real replica is another server that refuses writes and holds what the
primary committed. Here it is the same test database opened on a connection
of its own (Django's TEST MIRROR), made read-only, so that a write sent to it
fails as it would on a PostgreSQL standby, and it sees only committed rows:
the tests commit (transactional tests on tests.concurrency's shared_database,
which on SQLite moves the in-memory database to a file two connections open).

The alias exists only for the modules that use `replica_alias` (as
DATABASE_REPLICA_URLS adds it at start-up, before any request); each test
then says where it points with `replica` or `unreachable_replica`.
"""

import copy
import socket

import pytest
from django.db import connections

from minbar.replicas import router
from tests.comments.conftest import discussion  # noqa: F401 (fixture)
from tests.concurrency.conftest import concurrency_migrated_rows, shared_database  # noqa: F401 (fixtures)

ALIAS = "replica_1"
# The marker of tests that read through the replica: they commit, and may use both connections.
REPLICA_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", ALIAS])


def _forget_connection():
    if hasattr(connections._connections, ALIAS):
        connections[ALIAS].close()
        del connections[ALIAS]
    router._unreachable_until.clear()
    router._last_warning_at.clear()


def _point_replica_at(settings_dict):
    """Make replica_1 open `settings_dict` from its next connection on."""
    _forget_connection()
    # The handler built its copy of DATABASES once; this test's replica replaces the entry's content.
    entry = connections.settings[ALIAS]
    entry.clear()
    entry.update(settings_dict)
    entry["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": "default"}


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """replica_1 in the connection handler for this module, as a mirror of the test database."""
    # A copy of the primary's entry already holds every key Django fills in.
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["TEST"]["MIRROR"] = "default"
    connections.settings[ALIAS] = settings_dict
    try:
        yield ALIAS
    finally:
        _forget_connection()
        del connections.settings[ALIAS]


@pytest.fixture
def no_page_cache(settings):
    """Every request renders its page, so that its reads can be counted."""
    settings.MINBAR_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def replica(replica_alias, shared_database, no_page_cache):
    """replica_1: a read-only connection to the test database."""
    settings_dict = copy.deepcopy(shared_database.settings_dict)
    options = settings_dict.setdefault("OPTIONS", {})
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        options["init_command"] = options.get("init_command", "") + "PRAGMA query_only=ON;"
    else:
        options["options"] = "-c default_transaction_read_only=on"
    _point_replica_at(settings_dict)
    try:
        yield connections[ALIAS]
    finally:
        _forget_connection()


@pytest.fixture
def unreachable_replica(replica_alias, shared_database, no_page_cache):
    """replica_1 configured, but nothing answers where it points."""
    settings_dict = copy.deepcopy(shared_database.settings_dict)
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        settings_dict["NAME"] = "/nonexistent-minbar-replica/replica.sqlite3"
    else:
        # A loopback port nothing listens on: refused at once.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", probe.getsockname()[1]
        settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
    _point_replica_at(settings_dict)
    try:
        yield ALIAS
    finally:
        _forget_connection()
