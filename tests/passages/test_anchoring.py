"""Passages found again after the article around them, or the passage itself, was edited."""

import time

import pytest

from minbar.passages.anchoring import MAX_QUOTE_LENGTH, TextQuoteSelector, build_selector, locate

# Our own article text: a council meeting about a water network.
ARTICLE = (
    "عقد المجلس المحلي في البلدة اجتماعه الشهري مساء الأحد لمناقشة مشروع شبكة المياه الجديدة. "
    "وقال رئيس المجلس إن الشبكة ستغطي الأحياء الشرقية أولاً ثم تمتد إلى القرى المجاورة. "
    "وأضاف أن كلفة المشروع تبلغ مليوني دولار تتحملها منظمة دولية بالكامل. "
    "واعترض عدد من الأعضاء على الجدول الزمني، معتبرين أن ستة أشهر لا تكفي لإنجاز العمل. "
    "وفي ختام الاجتماع تقرر تشكيل لجنة لمتابعة المشروع ورفع تقرير شهري إلى الأهالي."
)
PASSAGE = "الشبكة ستغطي الأحياء الشرقية أولاً"


def select(text, passage, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return build_selector(text, start, start + len(passage))


def found(selector, text):
    span = locate(selector, text)
    return None if span is None else text[span[0] : span[1]]


def test_selector_holds_quote_context_and_position():
    selector = select(ARTICLE, PASSAGE)
    start = ARTICLE.index(PASSAGE)
    assert selector.quote == PASSAGE
    assert ARTICLE[:start].endswith(selector.prefix) and len(selector.prefix) == 32
    assert ARTICLE[start + len(PASSAGE) :].startswith(selector.suffix) and len(selector.suffix) == 32
    assert selector.position == start


def test_selector_drops_spaces_at_the_ends_of_a_selection_and_caps_its_length():
    start = ARTICLE.index(PASSAGE)
    selector = build_selector(ARTICLE, start - 1, start + len(PASSAGE) + 1)
    assert selector.quote == PASSAGE
    assert selector.position == start
    long_text = "كلمة " * 400
    assert len(build_selector(long_text, 0, len(long_text)).quote) <= MAX_QUOTE_LENGTH


def test_unchanged_article_gives_back_the_exact_offsets():
    selector = select(ARTICLE, PASSAGE)
    start = ARTICLE.index(PASSAGE)
    assert locate(selector, ARTICLE) == (start, start + len(PASSAGE))


def test_text_added_before_the_passage_moves_it():
    selector = select(ARTICLE, PASSAGE)
    edited = "تحديث: أضيفت تفاصيل جديدة إلى هذا الخبر بعد نشره بساعة. " + ARTICLE
    assert found(selector, edited) == PASSAGE
    assert locate(selector, edited)[0] == edited.index(PASSAGE)


def test_text_removed_before_and_added_after_the_passage():
    selector = select(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("في البلدة ", "").replace("بالكامل.", "بالكامل، بحسب المجلس.")
    assert found(selector, edited) == PASSAGE


def test_words_changed_right_around_the_passage():
    selector = select(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("وقال رئيس المجلس إن", "وأكد رئيس المجلس المنتخب أن").replace(
        "ثم تمتد إلى", "على أن تصل لاحقاً إلى"
    )
    assert found(selector, edited) == PASSAGE


def test_paragraphs_reordered():
    selector = select(ARTICLE, PASSAGE)
    sentences = ARTICLE.split(". ")
    edited = ". ".join(reversed(sentences))
    assert found(selector, edited) == PASSAGE


def test_tashkeel_hamza_and_tatweel_changes_in_the_passage_are_tolerated():
    selector = select(ARTICLE, PASSAGE)
    edited = ARTICLE.replace(PASSAGE, "الشَّبكةُ ستغطّي الاحياء الشرقيـــة اولاً")
    assert found(selector, edited) == "الشَّبكةُ ستغطّي الاحياء الشرقيـــة اولاً"


def test_tashkeel_removed_from_a_passage_selected_with_it():
    text = "قال الشاعر: إنَّ الكَلِمَةَ الطيبةَ صدقةٌ، وإنَّ الصمتَ حكمة."
    selector = select(text, "الكَلِمَةَ الطيبةَ صدقةٌ")
    edited = "قال الشاعر: إن الكلمة الطيبة صدقة، وإن الصمت حكمة."
    assert found(selector, edited) == "الكلمة الطيبة صدقة"


def test_whitespace_and_line_changes_are_tolerated():
    selector = select(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("الشبكة ستغطي الأحياء", "الشبكة  ستغطي\u00a0الأحياء")
    assert found(selector, edited) == "الشبكة  ستغطي\u00a0الأحياء الشرقية أولاً"


def test_a_word_changed_inside_a_long_passage_still_attaches():
    passage = "وأضاف أن كلفة المشروع تبلغ مليوني دولار تتحملها منظمة دولية بالكامل"
    selector = select(ARTICLE, passage)
    edited = ARTICLE.replace("مليوني دولار", "مليونين ونصف مليون دولار")
    assert found(selector, edited) == "وأضاف أن كلفة المشروع تبلغ مليونين ونصف مليون دولار تتحملها منظمة دولية بالكامل"


def test_rewritten_passage_is_gone():
    selector = select(ARTICLE, PASSAGE)
    edited = ARTICLE.replace(
        "وقال رئيس المجلس إن الشبكة ستغطي الأحياء الشرقية أولاً ثم تمتد إلى القرى المجاورة.",
        "ولم يحدد المجلس موعداً لبدء الأعمال في أي منطقة.",
    )
    assert locate(selector, edited) is None


def test_deleted_passage_is_gone():
    selector = select(ARTICLE, PASSAGE)
    edited = ARTICLE.replace(PASSAGE + " ", "")
    assert locate(selector, edited) is None


def test_short_quote_is_never_matched_loosely():
    selector = select(ARTICLE, "مليوني")
    assert locate(selector, ARTICLE.replace("مليوني", "ثلاثة ملايين")) is None


REPEATED = (
    "قالت المعلمة إن المدرسة بحاجة إلى ترميم عاجل قبل الشتاء. "
    "وفي القرية المجاورة قال الأهالي إن المدرسة بحاجة إلى ترميم عاجل أيضاً. "
    "ورد المسؤول بأن المدرسة بحاجة إلى ترميم عاجل لكن الميزانية لا تسمح."
)
REPEATED_QUOTE = "المدرسة بحاجة إلى ترميم عاجل"


@pytest.mark.parametrize("occurrence", [0, 1, 2])
def test_repeated_quote_finds_the_occurrence_that_was_selected(occurrence):
    selector = select(REPEATED, REPEATED_QUOTE, occurrence)
    expected_start = [i for i in range(len(REPEATED)) if REPEATED.startswith(REPEATED_QUOTE, i)][occurrence]
    assert locate(selector, REPEATED)[0] == expected_start


@pytest.mark.parametrize("occurrence", [0, 1, 2])
def test_repeated_quote_keeps_its_occurrence_after_text_is_added_before_it(occurrence):
    selector = select(REPEATED, REPEATED_QUOTE, occurrence)
    edited = "مقدمة طويلة أضافها المحرر لاحقاً تشرح خلفية القضية. " + REPEATED
    starts = [i for i in range(len(edited)) if edited.startswith(REPEATED_QUOTE, i)]
    assert locate(selector, edited)[0] == starts[occurrence]


def test_repeated_quote_without_context_goes_to_the_nearest_position():
    text = "نعم نعم نعم نعم"
    selector = TextQuoteSelector(quote="نعم", position=9)
    assert locate(selector, text) == (8, 11)


def test_repeated_quote_prefers_its_edited_occurrence_over_an_exact_one_elsewhere():
    text = "قال الوزير إن الحكومة ستعمل على تحسين الخدمات. وأضاف أن الحكومة ستعمل على خفض الأسعار في الأشهر المقبلة."
    start = text.index("الحكومة ستعمل على خفض")
    selector = build_selector(text, start, start + len("الحكومة ستعمل على"))
    edited = text.replace("ستعمل على خفض", "ستعمل جاهدة على خفض")
    assert found(selector, edited) == "الحكومة ستعمل جاهدة على"


def test_kurdish_text_with_keyboard_variants():
    text = "شارەوانی هەولێر ڕایگەیاند کە پرۆژەی ئاو لە مانگی داهاتوودا تەواو دەبێت."
    passage = "پرۆژەی ئاو لە مانگی داهاتوودا"
    selector = select(text, passage)
    # The same words typed on an Arabic keyboard: ه for ە, ي for ی, ك for ک.
    edited = text.replace("پرۆژەی ئاو لە مانگی", "پرۆژه‌ی ئاو له‌ مانگي")
    assert found(selector, edited) is not None
    assert found(selector, edited).startswith("پرۆژه")


def test_offsets_map_back_to_text_with_combining_marks_and_invisible_characters():
    text = "مقدمة. " + "\u200fهذا نصٌّ مُشكَّلٌ للتجربة\u200f" + " خاتمة."
    selector = TextQuoteSelector(quote="نص مشكل", prefix="هذا ", suffix=" للتجربة")
    span = locate(selector, text)
    assert text[span[0] : span[1]] == "نصٌّ مُشكَّلٌ"


def test_empty_quote_locates_nothing():
    assert locate(TextQuoteSelector(quote="   "), ARTICLE) is None


def test_a_hostile_quote_on_a_repetitive_article_is_settled_quickly():
    """A reader's quote is checked on every page view: its cost must stay small whatever it holds."""
    phrase = "في المدينة القديمة "
    text = (phrase + "وكلام آخر هنا ") * 500
    selector = TextQuoteSelector(
        quote=(phrase * 50 + "شيء غير موجود")[:MAX_QUOTE_LENGTH], prefix=phrase * 2, suffix=phrase * 2, position=3000
    )
    started = time.perf_counter()
    for _ in range(5):
        locate(selector, text)
    assert time.perf_counter() - started < 2.5
