"""Why a backup or a restore stopped, with the exit status the `minbar` command ends with."""

from django.utils.translation import gettext_lazy as _

FILE_ERROR = _("%(path)s: %(error)s.")

# Exit statuses (docs/backups.md): 1 the work failed or needs the operator's
# word (--force); 2 the archive cannot be used. In both cases a restore has
# changed nothing, unless its message says otherwise.
EXIT_FAILED = 1
EXIT_ARCHIVE_REFUSED = 2


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""

    exit_status = EXIT_FAILED

    def __init__(self, message):
        super().__init__(str(message))


class ArchiveRefused(BackupError):
    """The archive is damaged, not a Minbar backup, or made by a newer Minbar; nothing was changed."""

    exit_status = EXIT_ARCHIVE_REFUSED


def printable(text, limit=200):
    """`text` from an archive, safe to print on a terminal: control characters replaced, length bounded."""
    cleaned = "".join(character if character.isprintable() else "?" for character in str(text))
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + "…"


def command_error(error, consequence):
    """The CommandError for a BackupError, or for an OSError (a full disk, a missing permission) followed by `consequence`."""
    from django.core.management import CommandError

    if isinstance(error, OSError):
        message = FILE_ERROR % {"path": printable(error.filename or "?"), "error": error.strerror or error}
        error = BackupError(f"{message} {consequence}")
    return CommandError(str(error), returncode=error.exit_status)
