"""WordPress shortcodes in post content: `[name attr="v" …]`, `[name … /]`, `[name …]content[/name]`.

WordPress expands only the shortcodes its plugins register; whatever it does
not know stays in the text as typed. This module reads the same syntax
(attributes in double, single or no quotes, positional values, self-closing
and enclosing forms, `[[name]]` escaping to a literal `[name]`) and hands
each shortcode to a handler chosen by the caller; an unknown one is given
back as its original text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# `[[`/`]]` around a tag escapes it. The attribute part skips over quoted
# values so that a "]" inside quotes does not end the tag.
_TAG = re.compile(
    r"""\[(?P<open_escape>\[?)(?P<closing>/?)(?P<name>[A-Za-z0-9_][A-Za-z0-9_-]*)"""
    r"""(?P<attributes>(?:[\s=][^\]\["']*(?:(?:"[^"]*"|'[^']*')[^\]\["']*)*)?)"""
    r"""(?P<self_closing>/?)\](?P<close_escape>\]?)"""
)
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s"']+)|"([^"]*)"|'([^']*)'|(\S+)"""
)
_HAS_LETTER = re.compile(r"[A-Za-z]")
# Shortcodes nested deeper than this are hostile: the deeper ones are read as self-closing.
_DEEPEST = 40


@dataclass
class Shortcode:
    name: str  # lower-cased
    attributes: dict = field(default_factory=dict)  # named values, HTML entities decoded
    positional: list = field(default_factory=list)  # values without a name, e.g. [embed URL] or [youtube=URL]
    content: str | None = None  # the text between the tags (shortcodes in it already expanded); None when self-closing
    raw_content: str | None = None  # the same, before expansion
    source: str = ""  # the shortcode as written, opening tag to closing tag


def parse_attributes(text: str) -> tuple[dict, list]:
    named, positional = {}, []
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        if groups[0] is not None:
            named[groups[0].lower()] = html.unescape(groups[1])
        elif groups[2] is not None:
            named[groups[2].lower()] = html.unescape(groups[3])
        elif groups[4] is not None:
            named[groups[4].lower()] = html.unescape(groups[5])
        else:
            value = next(group for group in groups[6:] if group is not None)
            # `[youtube=URL]` (Jetpack's form) reads as one positional value starting with "=".
            positional.append(html.unescape(value.removeprefix("=")))
    return named, positional


@dataclass
class _Token:
    match: re.Match
    name: str
    closing: bool
    escaped_open: bool
    escaped_close: bool
    self_closing: bool
    partner: int | None = None  # index of the matching closing tag, on an opening tag


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TAG.finditer(text):
        name = match.group("name")
        if not _HAS_LETTER.search(name):  # "[1]", "[2020]": footnote marks and years, not shortcodes
            continue
        tokens.append(
            _Token(
                match=match,
                name=name.lower(),
                closing=bool(match.group("closing")),
                escaped_open=bool(match.group("open_escape")),
                escaped_close=bool(match.group("close_escape")),
                self_closing=bool(match.group("self_closing")),
            )
        )
    # Pair each closing tag with the nearest open tag of its name; tags left
    # open in between are taken as self-closing, as WordPress does.
    stack = []
    for index, token in enumerate(tokens):
        if token.closing:
            for depth in range(len(stack) - 1, -1, -1):
                if tokens[stack[depth]].name == token.name:
                    tokens[stack[depth]].partner = index
                    del stack[depth:]
                    break
        elif not token.self_closing and len(stack) < _DEEPEST:
            stack.append(index)
    return tokens


def expand(text: str, handler) -> str:
    """`text` with every shortcode replaced by `handler(shortcode)`; a handler returning None keeps the shortcode as written.

    Handlers get the content with its own shortcodes already expanded.
    """
    if "[" not in text:
        return text
    tokens = _tokens(text)
    if not tokens:
        return text
    return _expand(text, tokens, 0, len(tokens), 0, len(text), handler)


def _expand(text, tokens, first, last, start, end, handler):
    pieces, position, index = [], start, first
    while index < last:
        token = tokens[index]
        match = token.match
        pieces.append(text[position : match.start()])
        if token.closing:  # a closing tag with no opening: text as written
            pieces.append(match.group(0))
            position, index = match.end(), index + 1
            continue
        partner = token.partner if token.partner is not None and token.partner < last else None
        if partner is None:
            if token.escaped_open and token.escaped_close:
                pieces.append(match.group(0)[1:-1])
            else:
                if token.escaped_open:
                    pieces.append("[")
                pieces.append(_call(handler, token, None, None, match.group(0)[len(match.group("open_escape")) :], ""))
            position, index = match.end(), index + 1
            continue
        closing = tokens[partner].match
        if token.escaped_open and tokens[partner].escaped_close:
            pieces.append(text[match.start() + 1 : closing.end() - 1])
        else:
            raw_content = text[match.end() : closing.start()]
            content = _expand(text, tokens, index + 1, partner, match.end(), closing.start(), handler)
            source = match.group(0) + raw_content + closing.group(0)
            pieces.append(_call(handler, token, content, raw_content, source, closing.group(0)))
        position, index = closing.end(), partner + 1
    pieces.append(text[position:end])
    return "".join(pieces)


def _call(handler, token, content, raw_content, source, closing_tag):
    named, positional = parse_attributes(token.match.group("attributes"))
    shortcode = Shortcode(token.name, named, positional, content, raw_content, source)
    result = handler(shortcode)
    if result is not None:
        return result
    # Unknown: the tags stay as typed, with the content's own shortcodes expanded.
    if content is None:
        return source
    return token.match.group(0) + content + closing_tag
