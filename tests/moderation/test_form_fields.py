"""The hidden fields comment forms carry for screening, as the comments template renders them."""

import re
import time

from django.template import Context, Template

from minbar.moderation.forms import HONEYPOT_FIELD, STARTED_FIELD
from minbar.moderation.services import seconds_since

TEMPLATE = Template("{% load moderation_tags %}<form>{% form_started_field %}{% honeypot_field %}</form>")


def render():
    return TEMPLATE.render(Context({}))


def test_the_started_field_holds_a_signed_time_the_server_can_read_back():
    html = render()
    value = re.search(rf'<input type="hidden" name="{STARTED_FIELD}" value="([^"]+)">', html).group(1)
    assert 0 <= seconds_since(value) < 5


def test_the_fields_are_the_same_for_every_reader_of_a_cached_page(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
    assert render() == render()


def test_the_honeypot_is_hidden_from_people_and_from_keyboards_and_empty():
    html = render()
    field = re.search(rf'<div class="visually-hidden" aria-hidden="true">.*name="{HONEYPOT_FIELD}"[^>]*>', html)
    assert field is not None
    assert 'tabindex="-1"' in field.group(0) and 'autocomplete="off"' in field.group(0) and 'value=""' in field.group(0)
