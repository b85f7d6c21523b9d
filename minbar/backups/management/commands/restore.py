"""`minbar restore ARCHIVE [--force] [--no-media]`: replace the site with a backup, checked whole first.

Exit status: 0 when the site was restored; 2 when the archive cannot be used
(damaged, not a Minbar backup, from a newer Minbar, another kind of
database) and nothing was changed; 1 otherwise (the site has content and
--force was not given, or the restore failed), and the message says what
state the site is in.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from minbar.backups import restoring, services
from minbar.backups.archive import NOTHING_CHANGED
from minbar.backups.errors import BackupError, command_error

SECRET_KEY_RESTORED = _("The secret key was restored into %(path)s.")
SECRET_KEY_NOT_IN_BACKUP = _(
    "The backup holds no secret key, so this site keeps its own (%(path)s). Readers' sign-ins, and links in "
    "e-mails sent before (confirmations, unsubscribes, comment edits), work only with the old key: "
    "put the old secret_key file there if you have it, then start the site."
)
PAGES_DROPPED = _("Cached pages dropped: readers see the restored site.")
DONE = _("Restore complete. Start the site again.")


class Command(BaseCommand):
    help = "Restore a backup made by `minbar backup`, after checking every file in it; stop the site first."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive written by `minbar backup`")
        parser.add_argument("--force", action="store_true", help="replace a site that has content")
        parser.add_argument("--no-media", action="store_true", help="leave the media folder as it is")

    def handle(self, *args, **options):
        self.stderr.write(str(restoring.STOP_THE_SITE))
        try:
            result = services.restore_backup(
                options["archive"],
                force=options["force"],
                include_media=not options["no_media"],
                report=lambda message: self.stdout.write(str(message)),
                verbosity=max(options["verbosity"] - 1, 0),
            )
        except (BackupError, OSError) as error:
            # Failures once the swap began are put back and reported as a
            # BackupError by restore_backup: an OSError here came before it.
            raise command_error(error, NOTHING_CHANGED) from None
        if result.secret_key_restored:
            self.stdout.write(str(SECRET_KEY_RESTORED % {"path": result.secret_key_path}))
        else:
            self.stdout.write(str(SECRET_KEY_NOT_IN_BACKUP % {"path": result.secret_key_path}))
        self.stdout.write(str(PAGES_DROPPED))
        self.stdout.write(str(DONE))
