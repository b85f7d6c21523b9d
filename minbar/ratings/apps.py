from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """Readers' star ratings of articles."""

    name = "minbar.ratings"
    verbose_name = _("Ratings")
