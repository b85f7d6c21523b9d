from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    """What the person who runs the site sets once: name, tagline, digits."""

    site_name = models.CharField(_("site name"), max_length=100, default="منبر")
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        help_text=_("A short line shown under the site name and in feeds."),
    )
    publisher_name = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("The organisation that publishes the site, named in structured data for search engines."),
    )
    use_arabic_indic_digits = models.BooleanField(
        _("Arabic-Indic digits"),
        default=False,
        help_text=_("Show numbers and dates as ٠١٢٣٤٥٦٧٨٩ instead of 0123456789."),
    )

    panels = [
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("publisher_name"),
        FieldPanel("use_arabic_indic_digits"),
    ]

    class Meta:
        verbose_name = _("site settings")
