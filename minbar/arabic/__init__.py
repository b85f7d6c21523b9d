"""Pure text functions for Arabic and Kurdish: no Django imports here.

`analyze` is the one analysis used for indexing and for queries alike;
`matches` says whether a query finds a document under it.
"""

from .analysis import (
    SPELLING_VARIANTS,
    VariantTable,
    analyze,
    analyze_pairs,
    build_variants,
    mark_matches,
    matches,
    stem,
    word_spans,
)
from .digits import to_arabic_indic, to_western
from .excerpt import excerpt
from .normalize import normalize, tokens
from .slugs import slugify

__all__ = [
    "SPELLING_VARIANTS",
    "VariantTable",
    "analyze",
    "analyze_pairs",
    "build_variants",
    "excerpt",
    "mark_matches",
    "matches",
    "normalize",
    "slugify",
    "stem",
    "to_arabic_indic",
    "to_western",
    "tokens",
    "word_spans",
]
