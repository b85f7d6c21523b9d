"""Hidden fields every comment form carries for screening (see moderation.forms)."""

from django import template
from django.template.loader import render_to_string

from ..forms import HONEYPOT_FIELD, STARTED_FIELD, form_timestamp

register = template.Library()


@register.simple_tag
def form_started_field():
    """`<input type="hidden" name="started">` with the signed time the page was rendered."""
    return render_to_string("moderation/started_field.html", {"name": STARTED_FIELD, "value": form_timestamp()})


@register.simple_tag
def honeypot_field():
    """A text field hidden from people, which robots fill in."""
    return render_to_string("moderation/honeypot_field.html", {"name": HONEYPOT_FIELD})
