"""Ranking (title over body, the typed spelling over its stem's siblings, newer on ties) and the query language."""

import pytest
from django.utils import translation

from minbar.search import query as query_language, services
from minbar.search.analysis import Analyzer
from tests.factories import days_ago

from .conftest import paragraphs

pytestmark = pytest.mark.django_db


def ranked(query, **kwargs):
    return [article.pk for article in services.search(query, **kwargs).articles]


# --- ranking --------------------------------------------------------------------


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(publish, section):
    in_body = publish(
        section, "أخبار المدينة", paragraphs("افتتحت البلدية مكتبة عامة جديدة قرب السوق."), published_at=days_ago(1)
    )
    in_title = publish(
        section, "مكتبة عامة جديدة", paragraphs("افتتحت البلدية مبنى قرب السوق."), published_at=days_ago(9)
    )
    assert ranked("مكتبة") == [in_title.pk, in_body.pk]


def test_the_spelling_typed_ranks_above_another_word_of_the_same_stem(publish, section):
    """الأسرى (prisoners) and الأسرة (family) share the stem اسر: the word typed comes first."""
    prisoners = publish(section, "قضية إنسانية", paragraphs("تحدث التقرير عن الأسرى في السجون."), published_at=days_ago(9))
    family = publish(section, "قضية إنسانية", paragraphs("تحدث التقرير عن الأسرة في السجون."), published_at=days_ago(1))
    assert ranked("الأسرى") == [prisoners.pk, family.pk]
    assert ranked("الأسرة") == [family.pk, prisoners.pk]
    assert ranked("الاسرى") == [prisoners.pk, family.pk]  # whatever the hamza


def test_equal_matches_list_the_newer_article_first(publish, section):
    text = paragraphs("بدأ موسم قطاف الزيتون في القرى الجبلية.")
    older = publish(section, "موسم الزيتون", text, published_at=days_ago(30))
    newer = publish(section, "موسم الزيتون", text, published_at=days_ago(2))
    middle = publish(section, "موسم الزيتون", text, published_at=days_ago(10))
    assert ranked("الزيتون") == [newer.pk, middle.pk, older.pk]


# --- the query language -----------------------------------------------------------


def test_every_plain_word_must_be_in_the_article(publish, section):
    both = publish(section, "الأمن الغذائي", paragraphs("يتراجع الأمن الغذائي مع الجفاف."))
    publish(section, "الأمن في الشوارع", paragraphs("انتشرت دوريات الشرطة في الأحياء."))
    assert ranked("الأمن الغذائي") == [both.pk]


def test_a_quoted_phrase_needs_its_words_side_by_side(publish, section):
    side_by_side = publish(section, "تقرير", paragraphs("يتراجع الأمن الغذائي في الأرياف."), published_at=days_ago(5))
    apart = publish(section, "تقرير", paragraphs("الغذائي من المواد قليل، والأمن مستتب."), published_at=days_ago(1))
    assert ranked('"الأمن الغذائي"') == [side_by_side.pk]
    assert sorted(ranked("الأمن الغذائي")) == sorted([side_by_side.pk, apart.pk])
    assert ranked("«الأمن الغذائي»") == [side_by_side.pk]  # the quotes Arabic writers use
    assert ranked('"الأمن الغذائي') == [side_by_side.pk]  # a quote left open runs to the end


def test_a_word_after_a_minus_sign_leaves_articles_out(publish, section):
    football = publish(section, "ملعب البلدة", paragraphs("أعيد افتتاح الملعب بعد ترميمه لمباريات كرة القدم."))
    basketball = publish(section, "ملعب المدرسة", paragraphs("أعيد افتتاح الملعب لمباريات كرة السلة."))
    assert sorted(ranked("الملعب")) == sorted([football.pk, basketball.pk])
    assert ranked("الملعب -القدم") == [basketball.pk]
    assert ranked('الملعب -"كرة السلة"') == [football.pk]


def test_the_parsed_query_keeps_words_phrases_and_exclusions_apart():
    parsed = query_language.parse('الأسرى "المدينة القديمة" -الحرب', Analyzer({}))
    assert [clause.forms for clause in parsed.required] == [("الاسري",), ("المدينه", "القديمه")]
    assert [clause.forms for clause in parsed.excluded] == [("الحرب",)]
    assert parsed.error is None


# --- queries that cannot be searched ------------------------------------------------


BAD_QUERIES = {
    "one letter": ("م", query_language.MESSAGE_TOO_SHORT),
    "one latin letter": (" a ", query_language.MESSAGE_TOO_SHORT),
    "a thousand characters": ("كلمة " * 200, None),
    "punctuation only": ("؟!! ... ،،", query_language.MESSAGE_NO_WORDS),
    "only exclusions": ("-الحرب -السلام", query_language.MESSAGE_ONLY_EXCLUSIONS),
}


@pytest.mark.parametrize("typed, message", list(BAD_QUERIES.values()), ids=list(BAD_QUERIES))
def test_a_query_that_cannot_be_searched_gets_a_clear_message(publish, section, typed, message):
    publish(section, "الحرب والسلام", paragraphs("كلمة عن الحرب والسلام."))
    with translation.override("en"):
        results = services.search(typed)
        expected = message or query_language.MESSAGE_TOO_LONG % {"limit": 200}
        assert str(results.error) == str(expected)
    assert results.articles == [] and results.total == 0


HOSTILE = [
    '"',
    '""',
    "*",
    "مدين*",
    "NEAR(الحرب السلام)",
    "الحرب AND السلام",
    "الحرب OR",
    "NOT الحرب",
    "title_stems:الحرب",
    "{title_forms body_forms}: الحرب",
    "^الحرب",
    "((الحرب",
    "الحرب)",
    "'; DROP TABLE search_searchentry; --",
    "%' OR 1=1 --",
    "الحرب\x00السلام",
    "\x00\x00",
    "الحرب\ud800",
    "\udfff\ud800",
    "الحرب & ! | <-> :*",
    "\\' \\\\ ''",
    "-",
    "- -",
    '-"',
    "\u202eالحرب\u202c",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_input_never_breaks_the_search(publish, section, typed):
    article = publish(section, "الحرب والسلام", paragraphs("كلمة عن الحرب والسلام."))
    results = services.search(typed)
    assert results.error is None or str(results.error)
    assert all(found.pk == article.pk for found in results.articles)
    assert "\x00" not in results.query


def test_words_inside_hostile_syntax_are_still_searched_as_words(publish, section):
    article = publish(section, "الحرب والسلام", paragraphs("كلمة عن الحرب والسلام."))
    assert ranked("NEAR(الحرب") == []  # "near" is a word the article does not hold
    assert ranked("(الحرب)") == [article.pk]
    assert ranked("الحرب\x00") == [article.pk]
