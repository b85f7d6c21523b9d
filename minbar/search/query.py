"""What a reader typed, read as a query: words, "quoted phrases" and -exclusions.

* plain words: every one must be in the article (by its stem, after analysis);
* "words in quotes": those words one after the other, in that order;
* -word or -"words": articles holding it are left out.

Nothing typed is ever passed to an engine as syntax: each word is analysed
into terms (letters and digits only) and the engines quote every term.
Text that cannot be a search (too short, too long, no word in it, only
exclusions) gets a reader-facing message instead of results.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

MESSAGE_TOO_SHORT = _("Type at least two letters to search.")
MESSAGE_TOO_LONG = _("That search is too long: use at most %(limit)s characters.")
MESSAGE_NO_WORDS = _("That search holds no word to look for. Type the words you want to find.")
MESSAGE_ONLY_EXCLUSIONS = _(
    "Add a word to look for: a word starting with a minus sign only leaves articles out."
)

# A quoted phrase (its closing quote may be missing) or a run of non-spaces,
# either one preceded by a minus sign to leave it out. Straight and curly
# quotes, and the French-style quotes Arabic writers use, all open a phrase.
_CHUNK = re.compile(r"""(-?)(?:["“”«»]([^"“”«»]*)["“”«»]?|(\S+))""")


@dataclass(frozen=True)
class Clause:
    """One word, or a phrase of consecutive words: their forms and their stems."""

    forms: tuple
    stems: tuple


@dataclass
class ParsedQuery:
    text: str
    required: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    error: str | None = None

    @property
    def stems(self):
        """The stems of the words looked for (not of the excluded ones): what highlighting marks."""
        return {stem for clause in self.required for stem in clause.stems}


def clean_text(text):
    """Text as typed, minus what no query can hold: NUL and control characters, lone surrogates."""
    kept = []
    for char in str(text or ""):
        category = unicodedata.category(char)
        if category == "Cs":
            continue
        kept.append(" " if category == "Cc" else char)
    return " ".join("".join(kept).split())


def parse(text, analyzer):
    """Read `text` as a query; `error` is set (and no clause) when it cannot be one."""
    text = clean_text(text)
    query = ParsedQuery(text=text)
    if len(text) > settings.MINBAR_SEARCH_MAX_QUERY_LENGTH:
        query.error = MESSAGE_TOO_LONG % {"limit": settings.MINBAR_SEARCH_MAX_QUERY_LENGTH}
        return query
    if len(text) < settings.MINBAR_SEARCH_MIN_QUERY_LENGTH:
        query.error = MESSAGE_TOO_SHORT
        return query
    seen = set()
    for minus, phrase, word in _CHUNK.findall(text):
        pairs = analyzer.pairs(phrase if phrase else word)
        if not pairs:
            continue
        is_phrase = bool(phrase) or (minus and len(pairs) > 1)
        clauses = [Clause(*zip(*pairs))] if is_phrase else [Clause((form,), (stem,)) for form, stem in pairs]
        for clause in clauses:
            key = (bool(minus), clause.stems)
            if key not in seen:
                seen.add(key)
                (query.excluded if minus else query.required).append(clause)
    if not query.required:
        query.error = MESSAGE_ONLY_EXCLUSIONS if query.excluded else MESSAGE_NO_WORDS
        query.excluded = []
    return query
