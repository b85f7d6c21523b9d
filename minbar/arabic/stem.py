"""A light stemmer for Arabic and Central Kurdish words in their matching form.

Light means affixes only, no roots: the article and attached conjunctions and
prepositions in front (وال بال كال فال لل ال و), never leaving fewer than two
letters, then plural, dual, feminine and pronoun endings behind, never leaving
fewer than three. It follows
Lucene's ArabicStemmer with two changes that matter for news text:

* a feminine noun keeps its identity under a pronoun: قيادتها and قيادة both
  become قياد (the ة was written ت before the pronoun);
* words written with Kurdish letters first lose Sorani definiteness and
  plural endings (ڕۆژنامەکان → ڕۆژنامە), as in Lucene's SoraniStemmer.

Stripping repeats until nothing more comes off, so a stem stemmed again is
itself: the index can be rebuilt from its own output.
"""

from .normalize import fold

MIN_STEM = 2
# Endings come off only while three letters stay: repeated stripping would
# otherwise cut مدينة to مد and merge it with every other two-letter stem.
MIN_STEM_AFTER_SUFFIX = 3
# Attached pronouns after which a ت was a ta marbuta: قيادتها is قيادة + ها.
PRONOUN_SUFFIXES = ("ها", "ه")

ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# In Lucene's order; each is tried once per pass. ة and ى are already folded.
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# Sorani endings (definite, indefinite, plural, common possessives), longest
# first, written in matching form (ە→ه, ک→ك, ی→ي).
SORANI_SUFFIXES = tuple(
    sorted(
        (
            fold(suffix)
            for suffix in (
                "ەکانیان", "ەکانمان", "ەکانتان", "ەکانی", "ەکان", "کانی", "کان",
                "ەکەیان", "ەکەمان", "ەکەی", "ەکە", "کەی", "کە",
                "یەکی", "یەک", "ێکی", "ێک",
                "یان", "مان", "تان", "ەوە",
            )
        ),
        key=len,
        reverse=True,
    )
)


def _is_arabic_script(word):
    return any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" for char in word)


def _strip_arabic_prefix(word):
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix):]
    # A lone و is a conjunction only on a longer word (وقت is “time”).
    if word.startswith("و") and len(word) > 3:
        return word[1:]
    return word


def _strip_arabic_suffixes(word, variants):
    """Strip the endings of one pass; stop at a word of the variant table."""
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM_AFTER_SUFFIX:
            word = word[: -len(suffix)]
            if suffix in PRONOUN_SUFFIXES and word.endswith("ت") and len(word) >= 4:
                word = word[:-1]  # قيادت(ها) → قياد, as القيادة → قياده → قياد
            if word in variants:
                return variants[word]
    return word


def _strip_sorani_suffix(word):
    for suffix in SORANI_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


# One-letter conjunctions and prepositions written onto the next word. Too
# common as first letters to strip in general (بيت, لبنان), but safe in front
# of a word of the variant table: لكوردستان is ل + كوردستان.
_CLITICS = "وبلكف"


def apply_variants(word, variants):
    """`word` with its spelling variant replaced by the canonical form.

    A clitic in front goes with it, as the article does in stemming.
    """
    if word in variants:
        return variants[word]
    if len(word) > 3 and word[0] in _CLITICS and word[1:] in variants:
        return variants[word[1:]]
    return word


def light_stem(word, sorani=False, variants=None):
    """Stem one word already in matching form.

    `sorani` applies the Kurdish endings first; `variants` maps spellings no
    rule reaches to their canonical form (كوردستان → كردستان) and is looked
    up at every step, so affixed forms (لكوردستان, كوردستاني) find it too.
    """
    if not _is_arabic_script(word):
        return word  # numbers, Latin and other scripts are matched as written
    variants = variants or {}
    while True:
        before = word
        word = apply_variants(word, variants)
        if sorani:
            word = apply_variants(_strip_sorani_suffix(word), variants)
        word = apply_variants(_strip_arabic_prefix(word), variants)
        word = apply_variants(_strip_arabic_suffixes(word, variants), variants)
        if word == before:
            return word
