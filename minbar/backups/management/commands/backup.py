"""`minbar backup [--output PATH] [--include-secret-key] [--no-media]`: the whole site in one archive.

Exit status: 0 when the archive was written; 1 when it was not (the
message says why), and then no file of that name exists.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from minbar.backups import services
from minbar.backups.archive import file_count
from minbar.backups.errors import BackupError, command_error

WRITTEN = _("Backup written: %(path)s (%(size)s, %(files)s).")
SECRET_KEY_LEFT_OUT = _(
    "The secret key is not in this backup. Keep a copy of %(path)s somewhere safe, apart from the backups, "
    "or back up with --include-secret-key (and then guard the archive like the key itself)."
)
SECRET_KEY_INSIDE = _("The secret key is in this backup: keep the archive as safe as the key itself.")
NO_BACKUP_WRITTEN = _("No backup was written.")
MEDIA_LEFT_OUT = _("The media folder was left out (--no-media): back it up with your storage's own tools.")


class Command(BaseCommand):
    help = "Back up the database, the media and a manifest with checksums into one archive (mode 0600)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=None, help="the archive to write, or a folder for it (default: DATA_DIR/backups/)"
        )
        parser.add_argument(
            "--include-secret-key", action="store_true", help="also store the secret key file (guard the archive!)"
        )
        parser.add_argument(
            "--no-media", action="store_true", help="leave the media folder out (media on shared storage)"
        )

    def handle(self, *args, **options):
        try:
            result = services.create_backup(
                output=options["output"],
                include_secret_key=options["include_secret_key"],
                include_media=not options["no_media"],
            )
        except (BackupError, OSError) as error:
            raise command_error(error, NO_BACKUP_WRITTEN) from None
        self.stdout.write(
            str(WRITTEN % {"path": result.path, "size": filesizeformat(result.size), "files": file_count(result.file_count)})
        )
        if not result.has_media:
            self.stdout.write(str(MEDIA_LEFT_OUT))
        if result.has_secret_key:
            self.stdout.write(str(SECRET_KEY_INSIDE))
        else:
            self.stdout.write(str(SECRET_KEY_LEFT_OUT % {"path": result.secret_key_path}))
