from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy

from minbar.replicas.health import replica_statuses


class Command(BaseCommand):
    help = gettext_lazy("Say whether each read replica answers and how far it is behind the primary.")

    def handle(self, **options):
        statuses = replica_statuses()
        if not statuses:
            self.stdout.write(_("No read replica is configured (DATABASE_REPLICA_URLS is empty): everything reads the primary."))
            return
        failed = []
        for status in statuses:
            if not status.is_reachable:
                failed.append(status.alias)
                self.stdout.write(
                    _("%(alias)s: cannot be reached (%(error)s). Readers read the primary meanwhile.")
                    % {"alias": status.alias, "error": status.error}
                )
            elif status.is_standby is False:
                failed.append(status.alias)
                self.stdout.write(
                    _("%(alias)s: answers, but is not a standby: its URL names a primary. Check DATABASE_REPLICA_URLS.")
                    % {"alias": status.alias}
                )
            elif status.is_standby is None:
                self.stdout.write(_("%(alias)s: answers.") % {"alias": status.alias})
            else:
                self.stdout.write(
                    _("%(alias)s: answers; %(bytes)s bytes behind the primary, last change replayed %(seconds)s s ago.")
                    % {
                        "alias": status.alias,
                        "bytes": status.bytes_behind,
                        "seconds": "?" if status.replay_age_seconds is None else f"{status.replay_age_seconds:.1f}",
                    }
                )
        if failed:
            raise CommandError(_("Not every replica is usable: %(aliases)s.") % {"aliases": ", ".join(failed)})
