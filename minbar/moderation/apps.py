from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Moderation of reader comments: policies, anti-spam, blocks and the editors' queue."""

    name = "minbar.moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from . import receivers  # noqa: F401
