"""More like this: the articles whose words say most what the article's words say."""

import pytest

from minbar.search import services

from .conftest import paragraphs

pytestmark = pytest.mark.django_db

WATER = [
    ("جفاف الآبار في القرى الشرقية", "جفت الآبار في القرى الشرقية بعد صيف بلا أمطار، ويشتري المزارعون مياه الري بأسعار مرتفعة."),
    ("المزارعون يطالبون بمياه الري", "طالب المزارعون بحصة عادلة من مياه الري بعد جفاف الآبار وتراجع منسوب النهر."),
    ("مشروع لحفر الآبار الارتوازية", "تبدأ البلدية حفر آبار ارتوازية جديدة لتأمين مياه الري للمزارعين في موسم الجفاف."),
]
FOOTBALL = [
    ("فريق البلدة يفوز بالدوري", "فاز فريق البلدة بكأس الدوري بعد مباراة نهائية صعبة سجل فيها المهاجم هدفين."),
    ("المدرب يعلن تشكيلة المباراة النهائية", "أعلن المدرب تشكيلة الفريق للمباراة النهائية في الدوري، وعاد المهاجم بعد الإصابة."),
    ("جمهور الملعب يحتفل بالهدف", "احتفل جمهور الملعب بهدف المهاجم في الدقيقة الأخيرة من مباراة الدوري."),
]
ELECTIONS = [
    ("الناخبون يختارون مجلس البلدية", "توجه الناخبون إلى صناديق الاقتراع لاختيار أعضاء مجلس البلدية في انتخابات هادئة."),
    ("فرز أصوات انتخابات البلدية", "بدأت لجان الفرز عد أصوات الناخبين في انتخابات مجلس البلدية مساء الأحد."),
]


@pytest.fixture
def topics(publish, section):
    built = {}
    for name, items in (("water", WATER), ("football", FOOTBALL), ("elections", ELECTIONS)):
        built[name] = [publish(section, title, paragraphs(body)).pk for title, body in items]
    return built


def test_similar_articles_are_about_the_same_subject(topics):
    for name, ids in topics.items():
        for article_id in ids:
            similar = services.similar_articles(article_id, limit=len(ids) - 1)
            assert [found for found, _ in similar] and {found for found, _ in similar} <= set(ids) - {article_id}, name


def test_the_closest_articles_come_first_with_falling_scores(topics):
    similar = services.similar_articles(topics["water"][0], limit=6)
    found = [article_id for article_id, _ in similar]
    assert set(found[:2]) == set(topics["water"][1:])
    scores = [score for _, score in similar]
    assert scores == sorted(scores, reverse=True)
    assert topics["water"][0] not in found


def test_excluded_articles_are_left_out(topics):
    first, second, third = topics["water"]
    similar = services.similar_articles(first, limit=4, exclude_ids=[second])
    found = [article_id for article_id, _ in similar]
    assert second not in found and first not in found
    assert found[0] == third


def test_unpublished_articles_are_never_similar(topics, unpublish):
    first, second, third = topics["football"]
    unpublish(ArticleRef(second))
    found = [article_id for article_id, _ in services.similar_articles(first, limit=4)]
    assert second not in found and third in found


def test_an_article_without_an_index_entry_has_no_similar_articles(topics, section):
    from tests.factories import make_article

    draft = make_article(section, title="مسودة عن الآبار", body=paragraphs("الآبار والجفاف ومياه الري"), live=False)
    assert services.similar_articles(draft.pk) == []
    assert services.similar_articles(987_654) == []


class ArticleRef:
    """Just enough of an article for the unpublish fixture."""

    def __init__(self, pk):
        self.pk = pk
