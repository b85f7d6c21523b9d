"""Template helpers for includes/meta.html: page metadata and safe JSON-LD."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..metadata import page_metadata as build_page_metadata

register = template.Library()

# The escapes of Django's json_script: no "</script>", "<!--" or "&" can end
# the script element early, whatever an editor or a reader typed.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def page_metadata(context):
    """The page's metadata (see newsroom/metadata.py), for `{% page_metadata as meta %}`."""
    return build_page_metadata(context)


@register.filter(is_safe=True)
def json_ld(value):
    """Write `value` as a <script type="application/ld+json"> element, escaped like json_script."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
