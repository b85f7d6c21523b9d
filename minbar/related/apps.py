from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "minbar.related"
    label = "related"
    verbose_name = _("Read also")

    def ready(self):
        from . import receivers

        receivers.connect()
