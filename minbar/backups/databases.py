"""Copying the database out and back: SQLite's online backup API, PostgreSQL's pg_dump and pg_restore."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import DatabaseError, connections
from django.utils.translation import gettext_lazy as _

from .errors import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
MEMBERS = {SQLITE: "database/minbar.sqlite3", POSTGRESQL: "database/minbar.pgdump"}
# Seconds to wait for the site's writers to let go of SQLite's lock.
SQLITE_BUSY_SECONDS = 30
# The last lines of a PostgreSQL tool's complaint shown to the operator.
TOOL_ERROR_LINES = 15

UNSUPPORTED_ENGINE = _(
    "Minbar backs up SQLite and PostgreSQL databases only, and this site uses %(engine)s. "
    "Back it up with that database's own tools."
)
NO_DATABASE = _("There is no database at %(path)s, so there is nothing to back up. Check MINBAR_DATA_DIR.")
NOT_INTACT = _(
    "The copy of the database failed SQLite's integrity check (%(problem)s), so no backup was written. "
    "Run `minbar manage dbshell` and `PRAGMA integrity_check;` to look at the site's database."
)
TOOL_MISSING = _(
    "%(tool)s was not found. Install PostgreSQL's client programs of your server's version "
    "(on Debian and Ubuntu: apt install postgresql-client), or back up and restore by hand "
    "as docs/backups.md explains."
)
TOOL_FAILED = _("%(tool)s failed (exit status %(status)s): %(detail)s")
NOTHING_RESTORED = _("The database was not changed.")
CANNOT_CONNECT = _("Cannot reach the database named by DATABASE_URL (%(error)s). Check that it exists and answers.")


def engine_of(connection_settings):
    """'sqlite' or 'postgresql' for Django's settings of a database, or BackupError."""
    engine = connection_settings["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return SQLITE
    if engine in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        return POSTGRESQL
    raise BackupError(UNSUPPORTED_ENGINE % {"engine": engine.rsplit(".", 1)[-1]})


# SQLite ----------------------------------------------------------------------


def copy_sqlite(source, destination):
    """Copy the site's SQLite database to `destination` while the site may go on writing; return its migrations.

    The copy is one step of SQLite's backup API, so it is one read
    transaction: a snapshot, taken while writers go on in WAL mode. Copying in
    several steps would start over after every write of another connection,
    and on a busy site might never end.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(NO_DATABASE % {"path": source})
    reader = sqlite3.connect(source, timeout=SQLITE_BUSY_SECONDS)
    try:
        copy = sqlite3.connect(destination)
        try:
            reader.backup(copy)
            # A file that needs no -wal beside it, whatever the site's journal mode.
            copy.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            migrations = _latest_sqlite_migrations(copy)
        finally:
            copy.close()
    finally:
        reader.close()
    if problems != ["ok"]:
        raise BackupError(NOT_INTACT % {"problem": "; ".join(problems[:3])})
    return migrations


def _latest_sqlite_migrations(copy):
    # Read from the copy, not through Django: the manifest must describe
    # the snapshot, and Django's connection is to the live file.
    try:
        rows = copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.OperationalError:
        return {}
    return dict(rows)


def sqlite_has_tables(path):
    """Whether the SQLite file at `path` holds any table (an empty or missing file holds none)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    reader = sqlite3.connect(path, timeout=SQLITE_BUSY_SECONDS)
    try:
        return reader.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
    except sqlite3.DatabaseError:
        # Not a database SQLite can read: something is there, and --force must say to replace it.
        return True
    finally:
        reader.close()


def checkpoint_sqlite(path):
    """Fold the -wal file into the database, so that the file alone is the whole database.

    Returns False when another connection kept it from finishing (the site is probably still running).
    """
    path = Path(path)
    if not path.is_file():
        return True
    writer = sqlite3.connect(path, timeout=SQLITE_BUSY_SECONDS)
    try:
        busy, _log, _done = writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.DatabaseError:
        return True
    finally:
        writer.close()
    return busy == 0


def remove_sqlite_companions(path):
    """Remove the -wal and -shm files of `path`: beside another database file they would corrupt it."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# PostgreSQL ------------------------------------------------------------------


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(TOOL_MISSING % {"tool": name})
    return path


def _environment(connection_settings):
    """libpq's variables for the database: the password never appears in a process list."""
    environment = dict(os.environ)
    values = {
        "PGHOST": connection_settings.get("HOST"),
        "PGPORT": connection_settings.get("PORT"),
        "PGUSER": connection_settings.get("USER"),
        "PGPASSWORD": connection_settings.get("PASSWORD"),
        "PGDATABASE": connection_settings.get("NAME"),
    }
    options = connection_settings.get("OPTIONS", {})
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("connect_timeout", "PGCONNECT_TIMEOUT")):
        values[variable] = options.get(option)
    environment.update({name: str(value) for name, value in values.items() if value not in (None, "")})
    return environment


def _run(tool, arguments, connection_settings, failure_suffix=""):
    result = subprocess.run(
        [_tool(tool), *arguments], env=_environment(connection_settings), capture_output=True, text=True
    )
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-TOOL_ERROR_LINES:])
        message = TOOL_FAILED % {"tool": tool, "status": result.returncode, "detail": detail}
        raise BackupError(f"{message}\n{failure_suffix}".strip())
    return result.stdout


def dump_postgres(connection_settings, destination):
    """pg_dump the database in its custom format (compressed; pg_restore picks what to restore)."""
    _run("pg_dump", ["--format=custom", f"--file={destination}"], connection_settings)


def latest_migrations(alias="default"):
    """{app: name of the migration applied last} for the live database."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    try:
        if not recorder.has_table():
            return {}
        return dict(recorder.migration_qs.order_by("id").values_list("app", "name"))
    except DatabaseError as error:
        raise BackupError(CANNOT_CONNECT % {"error": _first_line(error)}) from None


def restore_postgres(connection_settings, dump):
    """pg_restore `dump` over the database in one transaction: all of it, or nothing on failure."""
    pg_restore_arguments = [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection_settings['NAME']}",
        str(dump),
    ]
    _run("pg_restore", pg_restore_arguments, connection_settings, failure_suffix=str(NOTHING_RESTORED))


def dumped_tables(connection_settings, dump):
    """Names of the tables in a pg_dump archive (its table of contents)."""
    listing = _run("pg_restore", ["--list", str(dump)], connection_settings)
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        # "215; 1259 16390 TABLE public auth_group postgres"
        if not line.startswith(";") and len(parts) >= 6 and parts[3] == "TABLE":
            tables.add(parts[5])
    return tables


def drop_tables_not_in(tables, alias="default"):
    """Drop Minbar's own tables that the restored dump does not have.

    pg_restore --clean replaces what the dump holds and leaves the rest: a
    table made by a migration newer than the backup would stay, and
    `migrate` would then fail to create it again. Tables Minbar does not
    know (another program's, in the same database) are left alone.
    """
    connection = connections[alias]
    with connection.cursor():
        known = connection.introspection.django_table_names(only_existing=True, include_views=False)
    leftovers = sorted(set(known) - set(tables))
    if leftovers:
        with connection.cursor() as cursor:
            for table in leftovers:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    return leftovers


def postgres_has_tables(alias="default"):
    connection = connections[alias]
    try:
        with connection.cursor():
            return bool(connection.introspection.table_names())
    except DatabaseError as error:
        raise BackupError(CANNOT_CONNECT % {"error": _first_line(error)}) from None


def _first_line(error):
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
