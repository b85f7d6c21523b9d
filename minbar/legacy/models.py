"""Addresses readers used on the old site, and where each thing lives now."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegacyAddress(models.Model):
    """One old address form (see keys.py for the key forms) and its new home: a page, or a site path.

    A page target is followed at redirect time, so a page moved since the
    import is still found, and a page that is not live redirects nowhere.
    """

    source = models.CharField(_("source"), max_length=120)
    key = models.CharField(_("old address"), max_length=1000, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_url = models.CharField(_("new address"), max_length=1000, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return self.key
