"""Back up a site into one archive, and restore one, checked whole before anything is changed.

A backup holds the database (SQLite: a snapshot taken with SQLite's online
backup API while the site goes on serving; PostgreSQL: pg_dump), the media
folder with image renditions, and manifest.json. The secret key only on
request. docs/backups.md says why, and how to schedule, keep and test them.
"""

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from . import archive, databases, media, restoring
from .errors import BackupError

SECRET_KEY_FILE = "secret_key"
BACKUPS_FOLDER = "backups"
ARCHIVE_NAME = "minbar-backup-{:%Y%m%d-%H%M%S}.tar"

OUTPUT_EXISTS = _("%(path)s exists already, and a backup never overwrites a file. Choose another --output.")
NO_SECRET_KEY_FILE = _(
    "There is no secret key file at %(path)s to include (SECRET_KEY is set in the environment?). "
    "Keep SECRET_KEY with the site's configuration, and back up without --include-secret-key."
)


@dataclass
class BackupResult:
    path: Path
    size: int
    file_count: int
    engine: str
    has_media: bool
    has_secret_key: bool
    secret_key_path: Path


@dataclass
class RestoreResult:
    manifest: dict
    media_count: int = 0
    media_restored: bool = False
    secret_key_restored: bool = False
    secret_key_path: Path = None
    leftover_tables: list = field(default_factory=list)


def minbar_version():
    try:
        return metadata.version("minbar")
    except metadata.PackageNotFoundError:
        return "unknown"


def data_dir():
    return Path(settings.DATA_DIR)


def secret_key_path():
    return data_dir() / SECRET_KEY_FILE


def database_settings():
    return connections["default"].settings_dict


def default_archive_path(now=None):
    return data_dir() / BACKUPS_FOLDER / ARCHIVE_NAME.format(now or django_timezone.localtime())


def _archive_path(output, now):
    if output is None:
        path = default_archive_path(now)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path
    path = Path(output)
    if path.is_dir():
        path = path / ARCHIVE_NAME.format(now)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def create_backup(output=None, include_secret_key=False, include_media=True, now=None):
    """Write one archive of the site (mode 0600); never overwrites a file, never leaves half of one."""
    now = now or django_timezone.localtime()
    connection_settings = database_settings()
    engine = databases.engine_of(connection_settings)
    path = _archive_path(output, now)
    if path.exists():
        raise BackupError(OUTPUT_EXISTS % {"path": path})
    if include_secret_key and not secret_key_path().is_file():
        raise BackupError(NO_SECRET_KEY_FILE % {"path": secret_key_path()})
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as output_file, tempfile.TemporaryDirectory(
            prefix=".minbar-backup-", dir=path.parent
        ) as work:
            writer = archive.ArchiveWriter(output_file)
            database_copy = Path(work) / "database"
            # The database first, then the media: a file an image row of the
            # snapshot names was saved before that row, so it is in the media copy.
            if engine == databases.SQLITE:
                migrations = databases.copy_sqlite(connection_settings["NAME"], database_copy)
            else:
                migrations = databases.latest_migrations()
                databases.dump_postgres(connection_settings, database_copy)
            writer.add_file(databases.MEMBERS[engine], database_copy)
            database_copy.unlink()
            if include_media:
                for member, media_path in media.media_files(settings.MEDIA_ROOT, skip=[partial]):
                    writer.add_file(member, media_path)
            if include_secret_key:
                writer.add_file(archive.SECRET_KEY_MEMBER, secret_key_path())
            writer.finish(
                {
                    "format": archive.FORMAT,
                    "format_version": archive.FORMAT_VERSION,
                    "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "minbar_version": minbar_version(),
                    "engine": engine,
                    "database": databases.MEMBERS[engine],
                    "migrations": migrations,
                    "media_included": include_media,
                    "secret_key_included": include_secret_key,
                }
            )
            output_file.flush()
            os.fsync(output_file.fileno())
            file_count = len(writer.files)
        os.replace(partial, path)
        media.fsync_folder(path.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(
        path=path,
        size=path.stat().st_size,
        file_count=file_count,
        engine=engine,
        has_media=include_media,
        has_secret_key=include_secret_key,
        secret_key_path=secret_key_path(),
    )


def restore_backup(path, force=False, include_media=True, report=lambda message: None, verbosity=0):
    """Replace the site with the archive at `path`, after checking all of it; see docs/backups.md.

    Raises ArchiveRefused (nothing changed) for an archive that cannot be
    used, BackupError for a site that needs --force (nothing changed) or a
    failure, whose message says what state the site was left in.
    """
    connection_settings = database_settings()
    engine = databases.engine_of(connection_settings)
    report(restoring.CHECKING % {"path": path})
    verified = archive.verify(path)
    restoring.check_fits_this_site(verified, engine)
    report(restoring.describe(verified))
    include_media = include_media and verified.manifest["media_included"]
    restoring.check_may_replace(engine, connection_settings, force, include_media)
    connections.close_all()
    result = RestoreResult(manifest=verified.manifest, secret_key_path=secret_key_path())
    plan = restoring.Plan(verified, engine, connection_settings, include_media, secret_key_path())
    with verified.open() as tar, tempfile.TemporaryDirectory(prefix=".minbar-restore-", dir=data_dir()) as work:
        try:
            # May fail (a full disk, an archive changed since it was checked): nothing is changed yet.
            plan.stage(tar, Path(work))
            try:
                result.leftover_tables = plan.replace_database()
                report(restoring.DATABASE_RESTORED)
                if result.leftover_tables:
                    report(restoring.LEFTOVER_TABLES % {"tables": ", ".join(result.leftover_tables)})
                plan.replace_files()
                if include_media:
                    report(restoring.media_restored(len(verified.media_members)))
                else:
                    report(restoring.MEDIA_KEPT)
                connections.close_all()
                report(restoring.MIGRATING)
                call_command("migrate", interactive=False, verbosity=verbosity)
            except BaseException as error:
                raise plan.undo(error) from error
        finally:
            plan.discard_staged()
    plan.forget_previous()
    result.media_restored = include_media
    result.media_count = len(verified.media_members) if include_media else 0
    result.secret_key_restored = plan.restores_secret_key
    restoring.drop_cached_pages()
    return result

