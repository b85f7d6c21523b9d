"""The rules of a restore: which archive fits this site, when it may be replaced, and each step undone on failure.

Everything is first written beside what it replaces (same folder, so a
rename swaps it in whole), and the old database, media folder and secret
key are kept until the restore has succeeded.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _, ngettext

from . import archive, databases, media
from .errors import BackupError, printable

STOP_THE_SITE = _(
    "Stop the site (minbar run, minbar worker, and every server using this database) before restoring, "
    "and start it again afterwards: a running site would keep writing to the database being replaced."
)
CHECKING = _("Checking %(path)s …")
DESCRIPTION = _("The archive is sound: a backup of %(created)s by Minbar %(version)s (%(engine)s), %(files)s.")
OTHER_ENGINE = _(
    "%(path)s holds a %(archive)s database, but this site uses %(site)s. "
    "Restore it into a site set up for %(archive)s (DATABASE_URL)."
)
UNKNOWN_MIGRATION = _(
    "%(path)s was made by a newer or different Minbar: its database has migration %(migration)s of %(app)s, "
    "which this Minbar does not know. Restore it with that version of Minbar."
)
SITE_EXISTS = _(
    "This site is not empty (%(what)s). A restore replaces all of it with the backup: "
    "run the command again with --force to do that. Nothing was changed."
)
HAS_DATABASE = _("its database has tables")
HAS_MEDIA = _("its media folder has files")
DATABASE_IN_USE = _(
    "The database %(path)s is in use by another program: stop the site (minbar run, minbar worker), "
    "then restore again. Nothing was changed."
)
MEDIA_IS_MOUNT = _(
    "The media folder %(path)s is a mount point, so it cannot be swapped whole. Restore with --no-media, "
    "then copy the archive's media/ folder onto it with your storage's tools (tar -xf ARCHIVE media/)."
)
DATABASE_RESTORED = _("Database restored.")
LEFTOVER_TABLES = _("Tables the backup does not have were dropped: %(tables)s.")
MEDIA_KEPT = _("The media folder was left as it is.")
MIGRATING = _("Bringing the database up to date with this Minbar …")
PUT_BACK = _("The restore failed (%(error)s). The site was put back as it was before. Nothing was changed.")
UNDO_FAILED = _(
    "The restore failed (%(error)s), and putting the site back failed too (%(failure)s). "
    "What it replaced is kept here: %(kept)s. Stop everything and put those back by hand."
)
POSTGRES_HALFWAY = _(
    "The restore failed after the database was replaced (%(error)s): the database holds the backup's data. "
    "Fix the cause and run `minbar manage migrate`, or restore again with --force."
)


def check_fits_this_site(verified, engine):
    """The archive's database is of this site's kind and its schema known to this Minbar, or ArchiveRefused."""
    from django.db.migrations.loader import MigrationLoader

    found = verified.manifest["engine"]
    if found != engine:
        raise archive.refused(OTHER_ENGINE, path=verified.path, archive=found, site=engine)
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for app, name in sorted(verified.manifest["migrations"].items()):
        if (app, name) not in known:
            raise archive.refused(UNKNOWN_MIGRATION, path=verified.path, migration=name, app=app)


def describe(verified):
    manifest = verified.manifest
    return DESCRIPTION % {
        "created": printable(manifest["created_at"]),
        "version": printable(manifest["minbar_version"]),
        "engine": manifest["engine"],
        "files": archive.file_count(len(manifest["files"])),
    }


def check_may_replace(engine, connection_settings, force, include_media):
    """Refuse (BackupError, nothing changed) to replace a site with content without --force, or one in use."""
    if include_media and os.path.ismount(settings.MEDIA_ROOT):
        raise BackupError(MEDIA_IS_MOUNT % {"path": settings.MEDIA_ROOT})
    if engine == databases.SQLITE:
        has_tables = databases.sqlite_has_tables(connection_settings["NAME"])
    else:
        has_tables = databases.postgres_has_tables()
    reasons = [str(HAS_DATABASE)] if has_tables else []
    if include_media and media.has_files(settings.MEDIA_ROOT):
        reasons.append(str(HAS_MEDIA))
    if reasons and not force:
        raise BackupError(SITE_EXISTS % {"what": "; ".join(reasons)})
    if engine == databases.SQLITE and not databases.checkpoint_sqlite(connection_settings["NAME"]):
        raise BackupError(DATABASE_IN_USE % {"path": connection_settings["NAME"]})


class Plan:
    """One restore's files: staged, swapped in, then kept (success) or put back (failure)."""

    def __init__(self, verified, engine, connection_settings, include_media, secret_key_path):
        self.verified = verified
        self.engine = engine
        self.connection_settings = connection_settings
        self.include_media = include_media
        self.secret_key_path = Path(secret_key_path)
        self.restores_secret_key = verified.has_secret_key
        self.staged = {}
        self.staged_files = []
        self.previous = {}
        self.database_replaced = False

    # Staging: nothing the site uses is touched.

    def stage(self, tar, work):
        member = self.verified.manifest["database"]
        if self.engine == databases.SQLITE:
            database = Path(self.connection_settings["NAME"])
            self.staged["database"] = self._stage_file(tar, member, database, mode=_mode_of(database, 0o600))
        else:
            self.staged["database"] = self._stage_file(tar, member, Path(work) / "database.pgdump", mode=0o600)
        if self.restores_secret_key:
            self.staged["secret_key"] = self._stage_file(
                tar, archive.SECRET_KEY_MEMBER, self.secret_key_path, mode=0o600
            )
        if self.include_media:
            self.staged["media"] = media.stage(self.verified, tar, settings.MEDIA_ROOT)

    def _stage_file(self, tar, member, beside, mode):
        beside.parent.mkdir(parents=True, exist_ok=True)
        staged = media.sibling(beside, "restore")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        # Stored now so that discard_staged removes it even if the copy fails half-way.
        with os.fdopen(descriptor, "wb") as destination:
            self.staged_files.append(staged)
            self.verified.copy_member(tar, member, destination)
        return staged

    # Swapping in.

    def replace_database(self):
        """Put the backup's database in place; return the PostgreSQL tables dropped as leftovers."""
        if self.engine == databases.SQLITE:
            database = Path(self.connection_settings["NAME"])
            if database.exists():
                self.previous["database"] = media.sibling(database, "before-restore")
                os.rename(database, self.previous["database"])
            # Left beside the new file, the old -wal would be replayed into it.
            databases.remove_sqlite_companions(database)
            os.replace(self.staged.pop("database"), database)
            media.fsync_folder(database.parent)
            self.database_replaced = True
            return []
        tables = databases.dumped_tables(self.connection_settings, self.staged["database"])
        databases.restore_postgres(self.connection_settings, self.staged["database"])
        self.database_replaced = True
        return databases.drop_tables_not_in(tables)

    def replace_files(self):
        if "secret_key" in self.staged:
            if self.secret_key_path.exists():
                self.previous["secret_key"] = media.sibling(self.secret_key_path, "before-restore")
                os.rename(self.secret_key_path, self.previous["secret_key"])
            os.replace(self.staged.pop("secret_key"), self.secret_key_path)
            self.previous.setdefault("secret_key", None)
        if "media" in self.staged:
            self.previous["media"] = media.swap_in(self.staged.pop("media"), settings.MEDIA_ROOT)

    # Ending.

    def undo(self, error):
        """Put back what was replaced; return the BackupError to raise in place of `error`."""
        try:
            return self._undo(error)
        except OSError as failure:
            kept = ", ".join(str(path) for path in self.previous.values() if path is not None)
            return BackupError(UNDO_FAILED % {"error": error, "failure": failure, "kept": kept or "-"})

    def _undo(self, error):
        if isinstance(error, BackupError) and not self.database_replaced:
            self._put_back_files()
            return error
        if self.engine == databases.POSTGRESQL:
            return BackupError(POSTGRES_HALFWAY % {"error": error})
        database = Path(self.connection_settings["NAME"])
        databases.remove_sqlite_companions(database)
        if "database" in self.previous:
            os.replace(self.previous["database"], database)
            del self.previous["database"]
        else:
            database.unlink(missing_ok=True)
        self._put_back_files()
        return BackupError(PUT_BACK % {"error": error})

    def _put_back_files(self):
        if "media" in self.previous:
            media.swap_back(self.previous["media"], settings.MEDIA_ROOT)
            del self.previous["media"]
        if "secret_key" in self.previous:
            old = self.previous["secret_key"]
            if old is None:
                self.secret_key_path.unlink(missing_ok=True)
            else:
                os.replace(old, self.secret_key_path)
            del self.previous["secret_key"]

    def discard_staged(self):
        for path in self.staged_files:
            Path(path).unlink(missing_ok=True)
        self.staged_files = []
        if "media" in self.staged:
            shutil.rmtree(self.staged.pop("media"), ignore_errors=True)

    def forget_previous(self):
        """The restore succeeded: the old database, media and key go."""
        for name, path in self.previous.items():
            if path is None:
                continue
            if name == "media":
                shutil.rmtree(path, ignore_errors=True)
            else:
                Path(path).unlink(missing_ok=True)
        self.previous = {}


def media_restored(count):
    return ngettext("Media restored: %(count)s file.", "Media restored: %(count)s files.", count) % {"count": count}


def _mode_of(path, default):
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return default


def drop_cached_pages():
    """No reader may see a page of the site as it was before: every cached page, and what caches know of rows, goes."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Site

    from minbar.core import page_cache

    ContentType.objects.clear_cache()
    Site.clear_site_root_paths_cache()
    page_cache.bump_generation()
