"""A site in a data folder of its own, as `minbar run` keeps one, for backing up and restoring.

Backups copy files, so these tests need a real SQLite file, not the suite's
in-memory database: a database migrated once per session by `minbar manage
migrate` is copied into each test's data folder, and Django's connection (and
every thread's) is pointed at it. `minbar` itself runs as a subprocess with
MINBAR_DATA_DIR set to that folder and no DATABASE_URL, exactly as an
operator runs it.

Tests marked postgres_only run in the PostgreSQL run only (they are marked
django_db so that run collects them); in the SQLite run they are deselected,
and pytest's summary counts them.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connections

from minbar.settings.environment import SQLITE_OPTIONS

POSTGRES_MODE = os.environ.get("MINBAR_TEST_DATABASE") == "postgres"
HERE = Path(__file__).resolve().parent
MINBAR = [sys.executable, "-m", "minbar.cli"]
DATABASE_FILE = "minbar.sqlite3"
COMMAND_SECONDS = 300


def pytest_collection_modifyitems(config, items):
    if POSTGRES_MODE:
        return
    ours = [item for item in items if HERE in Path(item.path).resolve().parents]
    deselected = [item for item in ours if item.get_closest_marker("postgres_only") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


def minbar_environment(data_dir, database_url=None):
    """The environment of a `minbar` command working on `data_dir` only (and `database_url` if given)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "CACHE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    environment.update(MINBAR_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="minbar.settings.dev")
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def run_minbar(data_dir, *arguments, database_url=None):
    return subprocess.run(
        [*MINBAR, *map(str, arguments)],
        env=minbar_environment(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
    )


@contextmanager
def database_file(path):
    """Point Django's default connection, in this thread and every new one, at the SQLite file `path`.

    It is opened with the site's own options (WAL, IMMEDIATE transactions,
    busy timeout). The connection in use before is set aside, not closed: an
    in-memory test database would not survive closing.
    """
    connection = connections["default"]
    set_aside = connection.connection
    saved = dict(connection.settings_dict)
    connection.connection = None
    connection.settings_dict.update(NAME=str(path), OPTIONS={**saved["OPTIONS"], **SQLITE_OPTIONS})
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        connection.connection = set_aside
        connection.transaction_mode = None
        connection.init_commands = []


def fingerprint(data_dir):
    """What a reader or operator could notice of a data folder: the database's rows and the media's bytes."""
    digest = hashlib.sha256()
    reader = sqlite3.connect(Path(data_dir) / DATABASE_FILE)
    try:
        for line in reader.iterdump():
            digest.update(line.encode())
    finally:
        reader.close()
    media = Path(data_dir) / "media"
    for path in sorted(media.rglob("*")) if media.exists() else []:
        digest.update(str(path.relative_to(media)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database file brought up to date by `minbar manage migrate`, once for the session."""
    data_dir = tmp_path_factory.mktemp("migrated-site")
    result = run_minbar(data_dir, "manage", "migrate", "--verbosity", "0")
    assert result.returncode == 0, result.stderr[-3000:]
    return data_dir / DATABASE_FILE


@dataclass
class Site:
    data_dir: Path

    @property
    def database(self):
        return self.data_dir / DATABASE_FILE

    @property
    def media(self):
        return self.data_dir / "media"

    def minbar(self, *arguments):
        """Run `minbar` on this site, as its operator would; Django's connection is closed first."""
        connections.close_all()
        return run_minbar(self.data_dir, *arguments)


@pytest.fixture
def site(tmp_path, settings, migrated_database, django_db_blocker):
    """A migrated site in the test's own data folder (tmp_path, where the suite already puts media)."""
    shutil.copyfile(migrated_database, tmp_path / DATABASE_FILE)
    # The key `minbar` generated there (mode 0600), as every site has one.
    shutil.copy2(migrated_database.with_name("secret_key"), tmp_path / "secret_key")
    settings.DATA_DIR = tmp_path
    assert Path(settings.MEDIA_ROOT) == tmp_path / "media"
    with django_db_blocker.unblock(), database_file(tmp_path / DATABASE_FILE):
        yield Site(tmp_path)


@pytest.fixture
def archives(tmp_path):
    """Where the tests keep archives: beside the site's database and media, in neither."""
    folder = tmp_path / "archives"
    folder.mkdir()
    return folder
