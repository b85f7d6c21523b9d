"""Matched words wrapped in <mark>, in the text exactly as the writer wrote it."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from minbar.arabic import mark_matches, word_spans

ELLIPSIS = "…"
# Words in a result's snippet, and how many of them come before the first match.
SNIPPET_WORDS = 36
WORDS_BEFORE_MATCH = 8


def highlighted(text, stems, variants):
    """`text` as safe HTML: every piece escaped, each matched word in <mark>."""
    pieces = mark_matches(text or "", stems, variants) if stems else [(text or "", False)]
    return mark_safe("".join(f"<mark>{escape(piece)}</mark>" if is_match else escape(piece) for piece, is_match in pieces))


def _first_match(text, spans, stems, analyzer):
    for number, (start, end) in enumerate(spans):
        if stems.intersection(stem for _, stem in analyzer.pairs(text[start:end])):
            return number
    return None


def snippet(texts, stems, analyzer, words=SNIPPET_WORDS):
    """A few dozen words around the first match in `texts` (tried in order), as safe HTML.

    With no match anywhere, the start of the first text that has words.
    Cut on word boundaries, with … where text was left out.
    """
    texts = [text for text in texts if text and word_spans(text)]
    if not texts:
        return mark_safe("")
    chosen, spans, first = texts[0], word_spans(texts[0]), None
    for text in texts:
        text_spans = word_spans(text)
        first = _first_match(text, text_spans, stems, analyzer)
        if first is not None:
            chosen, spans = text, text_spans
            break
    begin = max(0, (first or 0) - WORDS_BEFORE_MATCH)
    end = min(len(spans), begin + words)
    # Whole text at either end keeps its punctuation; a cut falls between words.
    part = chosen[spans[begin][0] if begin else 0 : spans[end - 1][1] if end < len(spans) else len(chosen)]
    html = highlighted(part, stems, analyzer.variants)
    before = ELLIPSIS + " " if begin > 0 else ""
    after = ELLIPSIS if end < len(spans) else ""
    return mark_safe(f"{before}{html}{after}")
