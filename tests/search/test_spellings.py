"""A reader finds an article whichever way either of them spelled its words."""

import pytest

from minbar.search import services
from minbar.search.models import SpellingVariant

from .conftest import paragraphs

pytestmark = pytest.mark.django_db


def found(query):
    return [article.pk for article in services.search(query).articles]


# (what the article says, what the reader types): our own sentences.
SPELLINGS = {
    "hamza dropped": ("أفرجت السلطات عن الأسرى بعد المفاوضات", "الاسرى"),
    "hamza typed": ("افرجت السلطات عن الاسرى بعد المفاوضات", "الأسرى"),
    "keheh typed": ("يحتاج العمل الزراعي إلى تركيز وصبر", "ترکيز"),
    "keheh written": ("يحتاج العمل الزراعي إلى ترکيز وصبر", "تركيز"),
    "kurdistan with waw": ("زار الوفد إقليم كوردستان الأسبوع الماضي", "كردستان"),
    "kurdistan without waw": ("زار الوفد إقليم كردستان الأسبوع الماضي", "كوردستان"),
    "persian digits typed": ("ارتفعت أسعار الخبز في عام 2022 مرتين", "۲۰۲۲"),
    "arabic-indic digits typed": ("ارتفعت أسعار الخبز في عام 2022 مرتين", "٢٠٢٢"),
    "persian digits written": ("ارتفعت أسعار الخبز في عام ۲۰۲۲ مرتين", "2022"),
    "tashkeel written": ("تَمَّ افْتِتاحُ المَدْرَسَةِ الجَدِيدَةِ في القَرْيَةِ", "افتتاح المدرسة"),
    "tashkeel typed": ("تم افتتاح المدرسة الجديدة في القرية", "افْتِتاحُ المَدْرَسَةِ"),
    "tatweel written": ("أهالي مدينـــة الحسكة يطالبون بالمياه", "مدينة"),
    "kurdish letters typed on an arabic keyboard": ("ڕۆژنامەکان لە هەولێر چاپ دەکرێن", "روژنامه"),
    "kurdish yeh and keheh typed": ("كتيب جديد عن تاريخ المدينة", "کتێب"),
    "kurdish ae typed": ("افتتحت المدرسة في قريتنا", "مدرسە"),
    "kurdish ending on the written word": ("قوتابخانەکان لە گوندەکان کراونەتەوە", "قوتابخانە"),
    "digits glued to a word": ("شارك 300متطوع في حملة التنظيف", "متطوع 300"),
}


@pytest.mark.parametrize("written, typed", list(SPELLINGS.values()), ids=list(SPELLINGS))
def test_the_reader_finds_the_article_in_another_spelling(publish, section, written, typed):
    article = publish(section, "خبر قصير", paragraphs(written))
    publish(section, "خبر آخر", paragraphs("لا علاقة لهذا الخبر بما يبحث عنه القارئ."))
    assert found(typed) == [article.pk]


def test_different_numbers_never_match(publish, section):
    publish(section, "خبر قصير", paragraphs("ارتفعت أسعار الخبز في عام 2022 مرتين"))
    assert found("2021") == []


def test_an_editor_added_variant_finds_an_article_it_did_not_find_before(publish, on_commit, section):
    article = publish(section, "زيارة إلى سنجار", paragraphs("التقى الوفد بشيخ يزيدي في القرية."))
    # إيزيدي and يزيدي are two spellings of one word that no normalization rule joins.
    assert found("إيزيدي") == []

    with on_commit():
        SpellingVariant.objects.create(variant="إيزيدي", canonical="يزيدي")
    assert found("إيزيدي") == [article.pk]

    with on_commit():
        SpellingVariant.objects.all().delete()
    assert found("إيزيدي") == []


def test_a_variant_written_in_the_article_is_found_by_the_standard_spelling(publish, on_commit, section):
    with on_commit():
        SpellingVariant.objects.create(variant="إيزيدي", canonical="يزيدي")
    article = publish(section, "زيارة إلى سنجار", paragraphs("التقى الوفد بشيخ إيزيدي في القرية."))
    assert found("يزيدي") == [article.pk]


@pytest.mark.parametrize(
    "variant, canonical",
    [("كلمتان هنا", "كلمة"), ("كلمة", "؟؟"), ("", "كلمة")],
    ids=["two words", "punctuation", "empty"],
)
def test_a_variant_must_be_one_word_each_side(variant, canonical):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SpellingVariant(variant=variant, canonical=canonical).full_clean()


def test_a_variant_that_normalization_already_covers_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        SpellingVariant(variant="أسرى", canonical="اسري").full_clean()
    assert "canonical" in caught.value.message_dict
