"""One normalization for indexing and querying alike.

Readers and writers spell the same word many ways: hamza or bare alef, ة or ه,
ى or ي, Persian keheh and yeh typed on a Persian or Kurdish keyboard, vowel
marks or none, tatweel for stretching, invisible direction and joining marks
pasted from other programs. Search must see through all of that, so every
string is folded to one canonical spelling before it is split into words.

The folding is for matching only: pages always show the text as written.
"""

import re
import unicodedata

# Characters that change nothing a reader sees in a word, removed before
# anything else so that they can never split or merge words: tatweel,
# zero-width (non-)joiners and spaces, word joiner, byte-order mark, and the
# bidi controls (LRM, RLM, ALM, embeddings, overrides and isolates).
INVISIBLE = "\u0640\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVE_INVISIBLE = {ord(char): None for char in INVISIBLE}

# Letters folded to one Arabic letter for matching. Compatibility
# decomposition already turns أ إ آ into ا and ؤ ئ into و ي (their hamza and
# madda are combining marks, removed with the vowel marks).
_FOLD_LETTERS = str.maketrans(
    {
        "ٱ": "ا",  # alef wasla
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",  # alef maqsura
        "ی": "ي",  # Persian/Kurdish yeh
        "ێ": "ي",  # Kurdish yeh with small v
        "ې": "ي",
        "ة": "ه",  # ta marbuta
        "ە": "ه",  # Kurdish ae
        "ھ": "ه",  # heh doachashmee
        "ہ": "ه",  # heh goal
        "ۀ": "ه",
        "ک": "ك",  # keheh
        "ڪ": "ك",  # swash kaf
        "ۆ": "و",  # Kurdish o: readers with an Arabic keyboard type و
        "ڵ": "ل",  # Kurdish velarized l
        "ڕ": "ر",  # Kurdish trilled r
    }
)

# Letters only Central Kurdish writes; a word holding one gets the Kurdish
# suffix rules before the Arabic ones (see stem.py).
SORANI_LETTERS = frozenset("ەۆێڵڕڤ")

# A run of letters, or a run of digits: digits glued to letters ("و20",
# "5000عنصر") become words of their own.
WORD = re.compile(r"[^\W\d_]+|\d+")


class _NonspacingMarks(dict):
    """A `str.translate` table deleting every nonspacing mark, filled as characters are met."""

    def __missing__(self, code):
        result = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = result
        return result


_REMOVE_MARKS = _NonspacingMarks()


def _decimal_to_ascii(match):
    return "".join(str(unicodedata.decimal(char)) for char in match.group())


def prepare(text: str) -> str:
    """Remove invisible marks, decompose, drop every combining mark, casefold.

    Letters keep their script here (ک stays ک), so callers can still tell
    Kurdish from Arabic; `fold` finishes the job.
    """
    text = text.translate(_REMOVE_INVISIBLE)
    text = unicodedata.normalize("NFKD", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    # Vowel marks, shadda, sukun, dagger alef, Quranic marks, hamza and madda
    # above or below, Latin accents: all nonspacing marks.
    return text.translate(_REMOVE_MARKS)


def fold(word: str) -> str:
    """Fold letters and digits of an already prepared word to their matching form."""
    word = word.translate(_FOLD_LETTERS)
    return re.sub(r"\d+", _decimal_to_ascii, word)


def raw_words(text: str) -> list[str]:
    """The words of `text` after `prepare`, before folding (letters or digits)."""
    return WORD.findall(prepare(text))


def normalize(text: str) -> str:
    """Text in its matching form: one space between words, nothing else."""
    return " ".join(fold(word) for word in raw_words(text))


def tokens(text: str) -> list[str]:
    """The words of `text` in their matching form, unstemmed."""
    return [fold(word) for word in raw_words(text)]


def is_sorani(word: str) -> bool:
    return any(char in SORANI_LETTERS for char in word)
