"""Template helpers for readers' pages: dates, digits, language links."""

from django import template
from django.urls import translate_url
from django.utils import formats, timezone, translation
from django.utils.html import format_html

from minbar.arabic import to_arabic_indic

from ..models import SiteSettings

register = template.Library()


def _uses_arabic_indic(context):
    request = context.get("request")
    if request is None:
        return False
    if not hasattr(request, "_minbar_arabic_indic"):
        request._minbar_arabic_indic = SiteSettings.load(request_or_site=request).use_arabic_indic_digits
    return request._minbar_arabic_indic


@register.simple_tag(takes_context=True)
def digits(context, value):
    """Write a number or text with the digits the site is set to use."""
    text = str(value)
    return to_arabic_indic(text) if _uses_arabic_indic(context) else text


@register.simple_tag(takes_context=True)
def display_date(context, value, with_time=False):
    """A <time> element with the date in the interface language (month names in Arabic: ١٢ يناير)."""
    if not value:
        return ""
    value = timezone.localtime(value)
    text = formats.date_format(value, "j F Y")
    if with_time:
        text = f"{text} {formats.time_format(value, 'H:i')}"
    if _uses_arabic_indic(context):
        text = to_arabic_indic(text)
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """This page's address in another interface language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)


@register.simple_tag
def language_direction(language_code):
    return "rtl" if translation.get_language_info(language_code)["bidi"] else "ltr"
