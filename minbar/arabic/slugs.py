"""Readable URL slugs from Arabic, Kurdish and Latin titles."""

import re
import unicodedata

from .normalize import INVISIBLE

_REMOVE = {ord(char): None for char in INVISIBLE}
# Vowel marks and Quranic annotation: a slug shows letters only.
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_WORD = re.compile(r"[^\W_]+")


def slugify(title: str, max_length: int = 80) -> str:
    """A slug that reads as the title does: its words, joined by hyphens.

    Letters stay as written (hamza included, so the address reads right),
    marks, tatweel and invisible characters go, digits become ASCII, Latin is
    lowercased. Cut on a word boundary within `max_length`. Returns "" when the
    title has no word at all; the caller picks a fallback.
    """
    text = unicodedata.normalize("NFKC", title.translate(_REMOVE))
    text = _MARKS.sub("", text).casefold()
    words = []
    for word in _WORD.findall(text):
        word = "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in word)
        words.append(word)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug
