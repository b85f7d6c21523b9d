"""Turn articles and queries into terms, with the editors' spelling variants applied.

Index and queries must be analysed with the same variant table, or a spelling
would be found on one side and not on the other; `spelling_variants()` is that
table, read from a cache that every process checks against the database.
"""

import time

from django.core.cache import cache
from django.db.models import Count, Max

from minbar.arabic import VariantTable, analyze_pairs, build_variants
from minbar.arabic.normalize import raw_words
from minbar.core.text import plain_text

from .models import SpellingVariant

VARIANTS_CACHE_KEY = "minbar:search:variants:{count}:{latest}"


# How long a process trusts the variant table it last read before asking the
# database again. An edit is seen at once by the process that made it (the
# receivers call forget_spelling_variants) and within this time by the others,
# well before the re-index it starts has finished.
VARIANTS_CHECK_SECONDS = 5
_checked = {"at": float("-inf"), "table": None}


def forget_spelling_variants():
    _checked.update(at=float("-inf"), table=None)


def spelling_variants():
    """The variant table in matching form: the built-in one merged with the editors' pairs.

    The cache key carries the number of rows and the latest change, so every
    process (web servers and the worker alike) sees an edit without a shared
    cache: a small aggregate query, asked at most every few seconds.
    """
    now = time.monotonic()
    if _checked["table"] is not None and now - _checked["at"] < VARIANTS_CHECK_SECONDS:
        return _checked["table"]
    table = _read_spelling_variants()
    _checked.update(at=now, table=table)
    return table


def _read_spelling_variants():
    state = SpellingVariant.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = state["latest"].isoformat() if state["latest"] else "-"
    key = VARIANTS_CACHE_KEY.format(count=state["count"], latest=latest)
    table = cache.get(key)
    if table is None:
        table = dict(build_variants(SpellingVariant.objects.values_list("variant", "canonical")))
        cache.set(key, table, timeout=None)
    # A plain dict travels through the cache; the table minbar.arabic caches
    # analyses by is rebuilt here, its hash computed in this process.
    return VariantTable(table)


class Analyzer:
    """`minbar.arabic.analyze_pairs`, remembering each distinct written word.

    News text repeats its words; analysing each distinct word once is what
    makes indexing ten thousand articles take seconds rather than minutes.
    The result is the same as analysing the whole text (tests hold us to it).
    """

    def __init__(self, variants=None):
        self.variants = spelling_variants() if variants is None else variants
        self._words = {}

    def pairs(self, text):
        """(form, stem) of each word of `text`, in order."""
        found = []
        for word in raw_words(text or ""):
            pairs = self._words.get(word)
            if pairs is None:
                pairs = self._words[word] = analyze_pairs(word, "ar", self.variants)
            found.extend(pairs)
        return found

    def forms_and_stems(self, text):
        """The forms and the stems of `text`, each as one space-separated string."""
        pairs = self.pairs(text)
        return " ".join(form for form, _ in pairs), " ".join(stem for _, stem in pairs)


def article_body_text(article, author_names=(), tag_names=()):
    """What the body columns hold: summary, the body's words, authors and tags."""
    parts = [article.summary, plain_text(article.body), " ".join(author_names), " ".join(tag_names)]
    return " ".join(part for part in parts if part)
