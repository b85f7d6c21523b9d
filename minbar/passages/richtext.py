"""Passages marked by editors in an article's rich text.

The editor's "question on a passage" feature stores a marked passage as
`<span data-passage="KEY" data-question="QUESTION">…</span>` (see
wagtail_hooks.py). Draftail entities never nest and never cross paragraphs:
a passage marked across two paragraphs is stored as two spans with the same
key, so everything here treats all spans of one key as one passage.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from minbar.core.text import plain_text

from .anchoring import TextQuoteSelector, build_selector

# Wagtail writes attributes in this order with double quotes; the pattern
# accepts any order so hand-edited or imported HTML is read too.
PASSAGE_SPAN = re.compile(r"<span\b(?P<attributes>[^>]*\bdata-passage=[^>]*)>(?P<inner>.*?)</span>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
QUESTION_MAX = 300

# Private-use characters standing for the start and end of a marked passage
# while the text is flattened; never present in an article.
_START, _END = "\ue000", "\ue001"


def _attributes(source: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(source)}


@dataclass(frozen=True)
class MarkedPassage:
    key: str
    question: str
    selector: TextQuoteSelector


def _span_data(match):
    attributes = _attributes(match.group("attributes"))
    key = attributes.get("data-passage", "")
    question = " ".join(attributes.get("data-question", "").split())[:QUESTION_MAX]
    return (key, question) if KEY_PATTERN.match(key) else (None, "")


def marked_passages(body_html: str) -> list[MarkedPassage]:
    """The marked passages of a body, each anchored in the body's plain text (services.article_text)."""
    spans = []

    def mark(match):
        key, question = _span_data(match)
        if key is None:
            return match.group(0)
        spans.append((key, question))
        return _START + match.group("inner") + _END

    flattened = plain_text(PASSAGE_SPAN.sub(mark, body_html or ""))
    # Drop the stand-ins and the doubled spaces they leave, noting where each was.
    text, bounds = [], []
    for char in flattened:
        if char in (_START, _END):
            bounds.append(len(text))
        elif char != " " or (text and text[-1] != " "):
            text.append(char)
    text = "".join(text).rstrip()
    ranges, questions = {}, {}
    for index, (key, question) in enumerate(spans):
        start, end = bounds[2 * index], bounds[2 * index + 1]
        if key in ranges:
            start, end = min(start, ranges[key][0]), max(end, ranges[key][1])
        ranges[key] = (start, end)
        questions.setdefault(key, question)
    passages = []
    for key, (start, end) in ranges.items():
        selector = build_selector(text, start, min(end, len(text)))
        if selector.quote and questions[key]:
            passages.append(MarkedPassage(key=key, question=questions[key], selector=selector))
    return passages


def render_markers(rendered_html: str, marker_for) -> str:
    """`rendered_html` with each marked passage given an id and followed by its marker.

    `marker_for(key)` returns the marker's HTML (already safe) or "" when the
    passage has no open question; the marker goes after the passage's last span.
    """
    matches = list(PASSAGE_SPAN.finditer(rendered_html))
    if not matches:
        return rendered_html
    last_of_key, seen = {}, set()
    for match in matches:
        key, _question = _span_data(match)
        if key is not None:
            last_of_key[key] = match.start()
    pieces, position = [], 0
    for match in matches:
        pieces.append(rendered_html[position : match.start()])
        position = match.end()
        key, _question = _span_data(match)
        marker = marker_for(key) if key is not None else ""
        if not marker:
            pieces.append(match.group("inner"))
            continue
        anchor = "" if key in seen else f' id="passage-{key}"'
        seen.add(key)
        pieces.append(f'<mark class="passage"{anchor} data-passage="{key}">{match.group("inner")}</mark>')
        if last_of_key[key] == match.start():
            pieces.append(marker)
    pieces.append(rendered_html[position:])
    return "".join(pieces)
