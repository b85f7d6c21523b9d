"""Clean what readers type before it is stored."""

import re
import unicodedata

from minbar.arabic.normalize import INVISIBLE

# Direction and joining controls are stripped from names: a name with a
# right-to-left override could make "evil‮gpj.exe" read otherwise, or pose
# as another reader's name. So is every other invisible formatting character
# (Unicode category Cf: soft hyphen, invisible separators, tags…), which
# could make two names that look alike differ. Other control characters (C0,
# C1, DEL) become spaces.
_STRIP_FROM_NAMES = {ord(char): None for char in INVISIBLE if char != "\u0640"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def _without_format_characters(value):
    return "".join(char for char in value if unicodedata.category(char) != "Cf")


def clean_name(value):
    """A name as it will be shown: NFC, no invisible or control characters, one line, single spaces."""
    value = unicodedata.normalize("NFC", str(value or ""))
    value = _CONTROL.sub(" ", _without_format_characters(value.translate(_STRIP_FROM_NAMES)))
    return _SPACES.sub(" ", value).strip()


def clean_body(value):
    """A comment body: NFC, control characters other than line breaks and tabs removed, unified line ends.

    Bidi and zero-width characters stay in bodies: Arabic and Kurdish text
    mixed with Latin needs them. The page renders each comment with
    dir="auto" inside an isolating element, so they cannot leak out of it.
    """
    value = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()
