"""Find a passage again in an article's text after the article was edited.

A passage is remembered as a W3C Web Annotation TextQuoteSelector
(https://www.w3.org/TR/annotation-model/#text-quote-selector): the exact
words, some text before and after them, plus a position hint. Editors fix
typos, add or drop vowel marks, re-type hamzas and move paragraphs, so the
search compares folded text (minbar.arabic's spelling folding, whitespace
ignored) and maps every match back to offsets in the text as written.

Pure functions: no Django, no database.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from dataclasses import dataclass

from minbar.arabic.normalize import fold, prepare

# Context kept on each side of a quote (the model's columns hold 64).
CONTEXT_LENGTH = 32
# The longest quote a reader may select; longer selections are cut here.
MAX_QUOTE_LENGTH = 1000
# A passage edited inside is still "the same passage" above this similarity.
SIMILARITY_THRESHOLD = 0.75
# Folded characters of the quote's start and end used to find an edited passage.
EDGE_LENGTH = 12
# Quotes shorter than this (folded) must be found as they are.
MIN_EDITED_QUOTE_LENGTH = 12
# Bounds the work on an article where the quote's edges occur very often.
MAX_EDITED_CANDIDATES = 24


TATWEEL = "\u0640"


@dataclass(frozen=True)
class TextQuoteSelector:
    quote: str
    prefix: str = ""
    suffix: str = ""
    position: int | None = None


def build_selector(text: str, start: int, end: int) -> TextQuoteSelector:
    """Describe text[start:end] so that `locate` finds it again in an edited `text`."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text), start + MAX_QUOTE_LENGTH))
    # Leading and trailing spaces of a selection carry nothing.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return TextQuoteSelector(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
        position=start,
    )


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    # An article has a few hundred distinct characters: fold each once.
    return fold(prepare(unicodedata.normalize("NFKC", char)))


class FoldedText:
    """`text` folded for matching, with the offset in `text` of every folded character.

    Folding drops vowel marks, tatweel, invisible marks and all whitespace,
    unifies letter variants (أ/ا, ة/ه, ی/ي, ک/ك …), casefolds and turns digits
    to ASCII. One original character may give zero, one or several folded
    characters; `origin[i]` is the original offset of folded character i.
    """

    def __init__(self, text: str):
        folded = []
        origin = []
        for offset, char in enumerate(text):
            if char.isspace():
                continue
            for folded_char in _fold_char(char):
                if not folded_char.isspace():
                    folded.append(folded_char)
                    origin.append(offset)
        self.text = text
        self.folded = "".join(folded)
        self.origin = origin

    def span(self, folded_start: int, folded_end: int) -> tuple[int, int]:
        """The original (start, end) covering folded characters [folded_start, folded_end)."""
        start, end = self.origin[folded_start], self.origin[folded_end - 1] + 1
        # Vowel marks and tatweel after the last letter fold to nothing but belong to it.
        while end < len(self.text) and (unicodedata.category(self.text[end]) == "Mn" or self.text[end] == TATWEEL):
            end += 1
        return start, end

    def folded_offset(self, original_offset: int) -> int:
        """The folded offset of the first folded character at or after `original_offset`."""
        low, high = 0, len(self.origin)
        while low < high:
            middle = (low + high) // 2
            if self.origin[middle] < original_offset:
                low = middle + 1
            else:
                high = middle
        return low


def folded(text: str) -> str:
    return FoldedText(text).folded


def _occurrences(haystack: str, needle: str) -> list[int]:
    found = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def _common_suffix_length(first: str, second: str) -> int:
    length = 0
    for a, b in zip(reversed(first), reversed(second)):
        if a != b:
            break
        length += 1
    return length


def _common_prefix_length(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second):
        if a != b:
            break
        length += 1
    return length


def _context_score(target: FoldedText, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many folded characters of context agree around target.folded[start:end]."""
    before = target.folded[max(0, start - len(prefix)) : start]
    after = target.folded[end : end + len(suffix)]
    return _common_suffix_length(before, prefix) + _common_prefix_length(after, suffix)


def _bigrams(text: str) -> Counter:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _similarity(first: str, second: str) -> float:
    """Dice coefficient of the two strings' letter pairs: 1.0 for equal strings, near 0 for unrelated ones.

    Linear in the strings' length (a quote may be 1,000 characters and is
    compared with a few dozen candidates on every page view).
    """
    first_pairs, second_pairs = _bigrams(first), _bigrams(second)
    total = sum(first_pairs.values()) + sum(second_pairs.values())
    if not total:
        return 1.0 if first == second else 0.0
    return 2 * sum((first_pairs & second_pairs).values()) / total


def _edited_candidates(target: FoldedText, quote: str, prefix: str, suffix: str, hint: int) -> list[tuple[int, int]]:
    """Spans that may be the quote after an edit inside it or at one of its ends.

    A span starts where the quote's first characters (or the end of its
    prefix) are and ends where its last characters (or the start of its
    suffix) are; only spans of about the quote's length count. Short quotes
    get no such second chance: a few letters are found everywhere.
    """
    if len(quote) < MIN_EDITED_QUOTE_LENGTH:
        return []
    edge = min(EDGE_LENGTH, len(quote) // 3)
    starts = set(_occurrences(target.folded, quote[:edge]))
    if len(prefix) >= edge:
        starts.update(at + edge for at in _occurrences(target.folded, prefix[-edge:]))
    ends = {at + edge for at in _occurrences(target.folded, quote[-edge:])}
    if len(suffix) >= edge:
        ends.update(_occurrences(target.folded, suffix[:edge]))
    shortest, longest = len(quote) // 2, len(quote) * 3 // 2 + 1
    # Only the edges nearest the old position pair up: a phrase repeated all
    # over an article must not make the pairs grow with its square.
    starts = sorted(starts, key=lambda at: abs(at - hint))[:MAX_EDITED_CANDIDATES]
    ends = sorted(ends, key=lambda at: abs(at - len(quote) - hint))[:MAX_EDITED_CANDIDATES]
    spans = [(start, end) for start in starts for end in ends if shortest <= end - start <= longest]
    # Nearest the old position first: each candidate costs a similarity computation.
    spans.sort(key=lambda span: (abs(span[0] - hint), span))
    return spans[:MAX_EDITED_CANDIDATES]


def locate(selector: TextQuoteSelector, text: str, *, target: FoldedText | None = None) -> tuple[int, int] | None:
    """Where the selector's passage is in `text` as (start, end) offsets, or None when it is gone.

    Candidates are the exact quote (after folding) wherever it occurs and,
    unless one of those sits in exactly its old context, spans that look like
    the quote edited inside or at an end (a word changed, a comma added),
    while similar enough; a rewritten passage is gone. Each candidate scores
    its similarity to the quote plus the characters of prefix and suffix that
    still surround it; ties go to the one nearest the position hint. Pass
    `target` (a FoldedText of `text`) to fold an article once for many selectors.
    """
    target = target or FoldedText(text)
    quote = folded(selector.quote)
    if not quote:
        return None
    prefix, suffix = folded(selector.prefix), folded(selector.suffix)
    hint = target.folded_offset(selector.position) if selector.position is not None else 0
    scored = {}
    for start in _occurrences(target.folded, quote):
        scored[(start, start + len(quote))] = len(quote) + _context_score(target, start, start + len(quote), prefix, suffix)
    if not scored or max(scored.values()) < len(quote) + len(prefix) + len(suffix):
        for start, end in _edited_candidates(target, quote, prefix, suffix, hint):
            if (start, end) in scored:
                continue
            ratio = _similarity(quote, target.folded[start:end])
            if ratio >= SIMILARITY_THRESHOLD:
                scored[(start, end)] = ratio * len(quote) + _context_score(target, start, end, prefix, suffix)
    if not scored:
        return None
    best = min(scored, key=lambda span: (-scored[span], abs(span[0] - hint), span[0]))
    return target.span(*best)
