"""Turn stored rich text into plain text for excerpts, feeds and metadata."""

import html
import re

from django.utils.html import strip_tags

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def plain_text(rich_text) -> str:
    """Return the words of a rich-text value, blocks separated by a space."""
    source = str(rich_text or "")
    text = strip_tags(_BLOCK_END.sub(" ", source))
    return _SPACES.sub(" ", html.unescape(text)).strip()
