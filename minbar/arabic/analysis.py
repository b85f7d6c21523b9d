"""The one analysis behind search, related articles and `matches`.

A text becomes a list of stems: normalized (normalize.py), split into words,
each word stemmed (stem.py). Index and query go through the same function, so
whatever spelling a reader types meets whatever spelling the writer used.

Arabic and Central Kurdish share the analysis on purpose: readers search
across languages and a query must be analyzed the way the article was. Kurdish
endings are recognised by the letters only Kurdish writes (ە ۆ ێ ڵ ڕ ڤ), not by
the article's language.
"""

import re
from collections.abc import Mapping
from functools import lru_cache

from .normalize import fold, is_sorani, raw_words
from .stem import apply_variants, light_stem

LANGUAGES = ("ar", "ckb", "en")


class VariantTable(Mapping):
    """An unchangeable variant → canonical table, hashable so analyses can be cached."""

    def __init__(self, pairs=()):
        self._table = dict(pairs)
        self._hash = hash(frozenset(self._table.items()))

    def __getitem__(self, key):
        return self._table[key]

    def __contains__(self, key):  # the hot path of stemming: skip Mapping's generic one
        return key in self._table

    def __iter__(self):
        return iter(self._table)

    def __len__(self):
        return len(self._table)

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        # Called on every cache hit whose table is an equal copy: keep it in C.
        if isinstance(other, VariantTable):
            return self._hash == other._hash and self._table == other._table
        return isinstance(other, Mapping) and self._table == dict(other.items())

    def __repr__(self):
        return f"VariantTable({self._table!r})"


def _table(variants):
    if variants is None:
        return SPELLING_VARIANTS
    return variants if isinstance(variants, VariantTable) else VariantTable(variants)


# Spellings no rule reaches, in matching form: variant → canonical. Editors add
# their own in the admin (minbar.search); these are the ones every site needs.
SPELLING_VARIANTS = VariantTable({
    "كوردستان": "كردستان",
    "كورد": "كرد",
    "كوردي": "كردي",
    "مسيول": "مسوول",  # مسئول / مسؤول
    "مسيوليه": "مسووليه",
    "شيون": "شوون",  # شئون / شؤون
    "انكلترا": "انجلترا",
    "انكلتره": "انجلترا",
})


def _check_language(lang):
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")


def build_variants(pairs, base=SPELLING_VARIANTS):
    """A variant table in matching form from (variant, canonical) pairs as people type them.

    Chains resolve to their end (a → b, b → c gives a → c) and a word never
    maps to itself, so applying the table twice changes nothing.
    """
    table = dict(base)
    for variant, canonical in pairs:
        variant_words, canonical_words = _single_word(variant), _single_word(canonical)
        if variant_words and canonical_words and variant_words != canonical_words:
            table[variant_words] = canonical_words
    resolved = {}
    for variant in table:
        seen, target = {variant}, table[variant]
        while target in table and target not in seen:
            seen.add(target)
            target = table[target]
        if target != variant:
            resolved[variant] = target
    return VariantTable(resolved)


def _single_word(text):
    words = [fold(word) for word in raw_words(text)]
    return words[0] if len(words) == 1 else ""


def stem(token: str, lang: str = "ar", variants=None) -> str:
    """The stem of one word, in any spelling; "" when `token` holds no word."""
    _check_language(lang)
    words = raw_words(token)
    if not words:
        return ""
    return _analyze_word(words[0], _table(variants))[1]


# News text repeats its words: caching the analysis of each distinct word
# makes indexing a whole archive several times faster.
@lru_cache(maxsize=500_000)
def _analyze_word(raw_word, variants):
    folded = fold(raw_word)
    form = apply_variants(folded, variants)
    # A canonical spelling is stemmed as what it is, not by the letters of
    # the variant it replaced (پەرلەمان → برلمان takes Arabic endings only).
    sorani = is_sorani(raw_word) and form == folded
    return form, light_stem(form, sorani=sorani, variants=variants)


def analyze_pairs(text: str, lang: str = "ar", variants=None) -> list[tuple[str, str]]:
    """Each word of `text` as (form, stem): its matching form unstemmed, and its stem.

    The form lets search rank the exact word above others of the same stem
    (الأسرى and الأسرة share the stem اسر but not the form).
    """
    _check_language(lang)
    variants = _table(variants)
    return [_analyze_word(raw_word, variants) for raw_word in raw_words(text)]


def analyze(text: str, lang: str = "ar", variants=None) -> list[str]:
    """The stems of `text`, in order: the terms of the index and of queries."""
    return [stem_ for _, stem_ in analyze_pairs(text, lang, variants)]


def matches(query: str, document: str, variants=None) -> bool:
    """Whether every term of `query` is in `document`, after analysis of both."""
    wanted = set(analyze(query, variants=variants))
    return bool(wanted) and wanted <= set(analyze(document, variants=variants))


# A word as written, with the marks and invisible characters that may sit
# inside it (vowel marks, tatweel, joiners, direction marks).
_WRITTEN_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u061c\u0640\u064b-\u065f\u0670\u06d6-\u06ed"
    r"\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff])+"
)


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each written word of `text`, for marking matches in the original."""
    return [match.span() for match in _WRITTEN_WORD.finditer(text)]


def mark_matches(text: str, stems, variants=None) -> list[tuple[str, bool]]:
    """`text` cut into pieces, each flagged when it is a word whose stem is in `stems`.

    The pieces join back to `text` exactly: highlighting never changes what
    the writer wrote.
    """
    stems = set(stems)
    pieces, position = [], 0
    for start, end in word_spans(text):
        if stems.intersection(analyze(text[start:end], variants=variants)):
            if start > position:
                pieces.append((text[position:start], False))
            pieces.append((text[start:end], True))
            position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
