"""How one JSON line is read: the field variants sources use, and what makes a line bad."""

import json

import pytest

from minbar.imports import messages
from minbar.imports.items import ArticleItem, Problem
from minbar.imports.jsonl import Defaults, parse_line

BASE = {"title": "جسر جديد فوق النهر", "body": "بدأ العمل في جسر جديد.", "section": "أخبار"}


def parse(item, defaults=Defaults()):
    return parse_line(1, json.dumps(item, ensure_ascii=False).encode(), defaults)


def test_tags_as_text_split_on_latin_and_arabic_commas():
    item = parse(dict(BASE, tags="جسور، أنهار, نقل ,جسور"))
    assert item.tags == ("جسور", "أنهار", "نقل")


def test_several_authors_keep_their_order():
    assert parse(dict(BASE, author=["ليلى حسن", "  كاوا   علي "])).authors == ("ليلى حسن", "كاوا علي")


def test_a_numeric_id_is_the_key_and_without_id_the_key_follows_title_date_and_section():
    assert parse(dict(BASE, id=42)).key == "42"
    first = parse(dict(BASE, date="2024-01-05"))
    assert first.key == parse(dict(BASE, date="2024-01-05", body="نص آخر")).key
    assert first.key != parse(dict(BASE, date="2024-01-06")).key
    assert first.key != parse(dict(BASE, date="2024-01-05", title="جسر آخر")).key


def test_summary_falls_back_to_abstract():
    assert parse(dict(BASE, abstract="ملخص قصير")).summary == "ملخص قصير"
    assert parse(dict(BASE, summary="الملخص", abstract="غيره")).summary == "الملخص"


def test_defaults_fill_what_a_line_leaves_out():
    defaults = Defaults(language="ckb", section="هەواڵ", author="دەستەی نووسەران")
    item = parse({"title": "ناونیشان", "body": "دەق."}, defaults)
    assert (item.language, item.section_title, item.authors, item.kind) == ("ckb", "هەواڵ", ("دەستەی نووسەران",), "news")


def test_a_byte_order_mark_and_windows_line_ends_are_fine():
    raw = "\ufeff".encode() + json.dumps(dict(BASE, body="سطر\r\nسطر ثان"), ensure_ascii=False).encode() + b"\r\n"
    item = parse_line(1, raw, Defaults())
    assert isinstance(item, ArticleItem)
    assert item.body == "<p>سطر</p><p>سطر ثان</p>"


def test_a_changed_text_changes_the_fingerprint_and_nothing_else_does():
    item = parse(dict(BASE, id="k"))
    assert item.fingerprint == parse(dict(BASE, id="k", ignored="حقل لا يقرأ")).fingerprint
    assert item.fingerprint != parse(dict(BASE, id="k", body="نص معدل.")).fingerprint


@pytest.mark.parametrize(
    ("change", "message", "params"),
    [
        ({"title": 7}, messages.NOT_TEXT, {"field": "title"}),
        ({"title": "   "}, messages.MISSING_FIELD, {"field": "title"}),
        ({"body": "<p> </p>"}, messages.MISSING_FIELD, {"field": "body"}),
        (
            {"kind": "gossip"},
            messages.UNKNOWN_KIND,
            {"value": "gossip", "choices": "opinion, news, report, statement, interview"},
        ),
        ({"date": 20240105}, messages.BAD_DATE, {"value": "20240105"}),
        ({"date": "2024-13-40"}, messages.BAD_DATE, {"value": "2024-13-40"}),
        ({"tags": {"a": 1}}, messages.BAD_TAGS, {}),
        ({"tags": ["و" * 101]}, messages.TOO_LONG, {"field": "tags", "limit": 100}),
        ({"author": 5}, messages.BAD_AUTHOR, {}),
        ({"id": "x" * 256}, messages.TOO_LONG, {"field": "id", "limit": 255}),
        ({"section": None}, messages.NO_SECTION, {}),
    ],
)
def test_bad_fields_make_a_bad_line_with_the_reason(change, message, params):
    problem = parse(dict(BASE, **change))
    assert problem == Problem(1, message, params)


def test_control_characters_in_a_bad_value_are_spelled_out():
    problem = parse(dict(BASE, language="ar\u001b[31m"))
    assert problem.params["value"] == "ar\\u001b[31m"


def test_deeply_nested_json_is_a_bad_line_not_a_crash():
    raw = b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert parse_line(3, raw, Defaults()) == Problem(3, messages.TOO_DEEP)
