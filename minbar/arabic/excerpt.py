"""Cut text for teasers on a word boundary, the way editors would by hand."""

import re

ELLIPSIS = "…"
# Punctuation that reads badly right before an ellipsis (Arabic and Latin).
_TRAILING_PUNCTUATION = " \t\n\u00a0،,؛;:.-ـ–—(«\"'“"


def excerpt(text: str, words: int) -> str:
    """Return the first `words` words of `text`, ending with `…` when cut.

    Whitespace of any kind (including no-break spaces, common in text pasted
    from Word) counts as a boundary and collapses to one space. Text that
    already fits is returned whole, without an ellipsis.
    """
    if words < 1:
        raise ValueError("excerpt needs at least one word")
    parts = re.split(r"\s+", text.strip())
    parts = [part for part in parts if part]
    if len(parts) <= words:
        return " ".join(parts)
    cut = " ".join(parts[:words]).rstrip(_TRAILING_PUNCTUATION)
    return cut + ELLIPSIS
