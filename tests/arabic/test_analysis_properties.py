"""Properties of the analysis that must hold for any text a reader can paste.

Search runs every query and every article through `analyze`; a crash, an
empty term or a term that depends on invisible characters would make an
article unfindable.
"""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from minbar.arabic import analyze, normalize, stem, tokens

ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
KURDISH_LETTERS = "ەۆێڵڕڤکیگپچژھ"
TASHKEEL = "".join(chr(code) for code in range(0x064B, 0x0660)) + "\u0670"
INVISIBLE = "\u0640\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2060\ufeff"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"

arabic_text = st.text(
    alphabet=st.sampled_from(ARABIC_LETTERS + KURDISH_LETTERS + DIGITS + " ،.؟!/()«»-" + string.ascii_letters),
    max_size=80,
)
any_text = st.text(max_size=200)


@settings(max_examples=400)
@given(any_text)
def test_analysis_never_raises_and_never_yields_an_empty_term(text):
    terms = analyze(text)
    assert all(term for term in terms)
    assert all(" " not in term for term in terms)


@settings(max_examples=400)
@given(arabic_text)
def test_arabic_text_analyzes_to_non_empty_terms(text):
    assert all(term for term in analyze(text))


@st.composite
def text_with_marks_inserted(draw, base=arabic_text, marks=TASHKEEL + INVISIBLE):
    text = draw(base)
    pieces = list(text)
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=len(pieces)))
        pieces.insert(position, draw(st.sampled_from(marks)))
    return text, "".join(pieces)


@settings(max_examples=400)
@given(text_with_marks_inserted())
def test_tatweel_tashkeel_zero_width_and_bidi_marks_change_nothing(pair):
    plain, marked = pair
    assert analyze(marked) == analyze(plain)


@settings(max_examples=300)
@given(text_with_marks_inserted(base=any_text))
def test_marks_change_nothing_in_any_script(pair):
    plain, marked = pair
    assert analyze(marked) == analyze(plain)


@settings(max_examples=400)
@given(any_text)
def test_analysis_is_idempotent_on_its_own_output(text):
    terms = analyze(text)
    assert analyze(" ".join(terms)) == terms


@settings(max_examples=300)
@given(arabic_text)
def test_arabic_analysis_is_idempotent_on_its_own_output(text):
    terms = analyze(text)
    assert analyze(" ".join(terms)) == terms


@settings(max_examples=300)
@given(any_text)
def test_normalize_is_idempotent_and_agrees_with_tokens(text):
    normalized = normalize(text)
    assert normalize(normalized) == normalized
    assert normalized.split() == tokens(text)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(ARABIC_LETTERS + KURDISH_LETTERS), min_size=1, max_size=12))
def test_a_stem_is_never_empty_and_stems_to_itself(word):
    stemmed = stem(word)
    assert stemmed
    assert stem(stemmed) == stemmed
