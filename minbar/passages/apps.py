from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassagesConfig(AppConfig):
    """Passages of an article that readers answer or comment on, anchored so they survive edits."""

    name = "minbar.passages"
    verbose_name = _("Passage feedback")

    def ready(self):
        from . import receivers

        receivers.connect()
