from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicasConfig(AppConfig):
    """Readers' reads on PostgreSQL read replicas, every write on the primary.

    Off unless DATABASE_REPLICA_URLS names replicas (docs/replicas.md). A
    reader's request reads one replica, chosen per request; writes, editors,
    the background worker and management commands use the primary, and a
    reader who has just written reads the primary for a few seconds (the pin
    cookie) so that they see what they wrote.
    """

    name = "minbar.replicas"
    verbose_name = _("Read replicas")
