"""How "read also" orders the articles its text relates: same section, shared tags, shared author.

Most tests hand the list a pool of text-related candidates with known
scores (the search index's own scores depend on the whole site), so that
what each boost does is plain; the last ones use the real index.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured

import minbar.search.services
from minbar.related import services
from minbar.related.models import RelatedArticle, RelatedSource
from minbar.search.services import similar_articles
from tests.factories import make_article, make_author, make_section

from .conftest import WATER

pytestmark = pytest.mark.django_db

NO_BOOSTS = {"section": 0.0, "tag": 0.0, "author": 0.0}


def stored_list(article):
    return list(RelatedArticle.objects.filter(article=article).order_by("rank").values_list("related_id", flat=True))


class TextPool:
    """Stands in for the search index's "more like this": known candidates and scores per article."""

    def __init__(self):
        self.scores = {}
        self.limits = []  # the pool sizes asked for

    def relate(self, article, pairs):
        self.scores[article.pk] = [(other.pk, score) for other, score in pairs]

    def similar_articles(self, article_id, *, limit=4, exclude_ids=()):
        self.limits.append(limit)
        return [pair for pair in self.scores.get(article_id, []) if pair[0] not in exclude_ids][:limit]


@pytest.fixture
def text_pool(monkeypatch):
    pool = TextPool()
    monkeypatch.setattr(minbar.search.services, "similar_articles", pool.similar_articles)
    return pool


class Newsroom:
    """Two sections; each article by a writer of its own unless a test says otherwise."""

    def __init__(self):
        self.economy = make_section("اقتصاد", slug="economy")
        self.local = make_section("محليات", slug="local")

    def article(self, section, title, **options):
        options.setdefault("authors", [make_author(f"كاتب {title}")])
        return make_article(section, title=title, **options)


@pytest.fixture
def newsroom():
    return Newsroom()


def test_a_same_section_article_overtakes_a_slightly_closer_text_from_another_section(newsroom, text_pool):
    bread = newsroom.article(newsroom.economy, "أسعار الخبز ترتفع للمرة الثالثة")
    closer_elsewhere = newsroom.article(newsroom.local, "طوابير أمام المخابز في الأحياء الشعبية")
    same_section = newsroom.article(newsroom.economy, "الحكومة ترفع دعم الطحين")
    text_pool.relate(bread, [(closer_elsewhere, 10.0), (same_section, 9.0)])

    services.refresh([bread.pk], neighbours=False)

    rows = list(RelatedArticle.objects.filter(article=bread).order_by("rank"))
    assert [row.related_id for row in rows[:2]] == [same_section.pk, closer_elsewhere.pk]
    assert {row.source for row in rows[:2]} == {RelatedSource.TEXT}


def test_with_every_weight_zero_the_text_order_stands(newsroom, text_pool, settings):
    settings.MINBAR_READ_ALSO_WEIGHTS = NO_BOOSTS
    bread = newsroom.article(newsroom.economy, "أسعار الخبز ترتفع للمرة الثالثة")
    closer_elsewhere = newsroom.article(newsroom.local, "طوابير أمام المخابز في الأحياء الشعبية")
    same_section = newsroom.article(newsroom.economy, "الحكومة ترفع دعم الطحين")
    text_pool.relate(bread, [(closer_elsewhere, 10.0), (same_section, 9.0)])

    services.refresh([bread.pk], neighbours=False)

    assert stored_list(bread)[:2] == [closer_elsewhere.pk, same_section.pk]


def test_shared_tags_raise_a_candidate_one_tag_at_a_time(newsroom, text_pool):
    strike = newsroom.article(newsroom.local, "إضراب عمال النظافة يدخل يومه الخامس", tags=["إضراب", "البلدية"])
    one_tag = newsroom.article(newsroom.economy, "النقابات تطالب بزيادة الأجور", tags=["إضراب"])
    two_tags = newsroom.article(newsroom.economy, "البلدية تفاوض العمال المضربين", tags=["إضراب", "البلدية"])
    closest_text = newsroom.article(newsroom.economy, "أكوام القمامة في الشوارع")
    text_pool.relate(strike, [(closest_text, 10.0), (one_tag, 9.5), (two_tags, 9.0)])

    services.refresh([strike.pk], neighbours=False)

    assert stored_list(strike)[:3] == [two_tags.pk, one_tag.pk, closest_text.pk]


def test_a_long_list_of_shared_tags_does_not_outweigh_the_text(newsroom, text_pool, settings):
    tags = [f"وسم {number}" for number in range(10)]
    article = newsroom.article(newsroom.local, "مجلس المدينة يقر موازنة العام المقبل", tags=tags)
    tag_heavy = newsroom.article(newsroom.local, "صور من حفل افتتاح الحديقة", tags=tags)
    on_subject = newsroom.article(newsroom.local, "نقاش حاد حول بنود الموازنة")
    text_pool.relate(article, [(on_subject, 10.0), (tag_heavy, 3.0)])

    services.refresh([article.pk], neighbours=False)

    # Ten shared tags count as MINBAR_READ_ALSO_TAGS_COUNTED: 0.3 + 0.3 < 1.0.
    assert settings.MINBAR_READ_ALSO_TAGS_COUNTED == 3
    assert stored_list(article)[:2] == [on_subject.pk, tag_heavy.pk]


def test_a_shared_author_raises_a_candidate(newsroom, text_pool):
    columnist = make_author("ريم الحسيني", slug="reem-husseini")
    column = newsroom.article(newsroom.local, "المدينة التي نسيت أنهارها", authors=[columnist])
    by_someone_else = newsroom.article(newsroom.local, "نهر المدينة الملوث")
    by_the_columnist = newsroom.article(newsroom.local, "ذاكرة الجسور القديمة", authors=[columnist])
    text_pool.relate(column, [(by_someone_else, 10.0), (by_the_columnist, 9.7)])

    services.refresh([column.pk], neighbours=False)

    assert stored_list(column)[:2] == [by_the_columnist.pk, by_someone_else.pk]


def test_the_pool_is_a_setting_so_a_same_section_article_further_down_can_enter(newsroom, text_pool, settings):
    article = newsroom.article(newsroom.economy, "البنك المركزي يخفض سعر الفائدة")
    elsewhere = [newsroom.article(newsroom.local, f"تقرير محلي رقم {number}") for number in range(5)]
    same_section_sixth = newsroom.article(newsroom.economy, "المصارف تعدل قروض السكن")
    closer = [(other, 10.0 - number * 0.01) for number, other in enumerate(elsewhere)]
    text_pool.relate(article, [*closer, (same_section_sixth, 9.9)])

    settings.MINBAR_READ_ALSO_POOL_FACTOR = 1
    services.refresh([article.pk], neighbours=False)
    assert same_section_sixth.pk not in stored_list(article)

    settings.MINBAR_READ_ALSO_POOL_FACTOR = 5
    services.refresh([article.pk], neighbours=False)
    assert stored_list(article)[0] == same_section_sixth.pk
    assert text_pool.limits == [4, 20]


def test_an_unknown_weight_is_refused_with_the_names_to_use(newsroom, text_pool, settings):
    settings.MINBAR_READ_ALSO_WEIGHTS = {"section": 0.2, "category": 0.1}
    article = newsroom.article(newsroom.economy, "البنك المركزي يخفض سعر الفائدة")
    with pytest.raises(ImproperlyConfigured, match="category.*section, tag, author"):
        services.refresh([article.pk], neighbours=False)


# With the real search index.


def test_a_same_section_article_the_text_does_not_relate_is_never_listed(publishing):
    """The section boost reorders what the text found; it pulls nothing in (the fallback's job on tiny sites)."""
    farming, news = make_section("زراعة", slug="farming"), make_section("أخبار", slug="news")
    with publishing():
        first_title, first_body = WATER[0]
        article = make_article(farming, title=first_title, body=first_body)
        # Five articles on the same subject, none in its section: the text
        # fills the list without the fallback.
        related = [make_article(news, title=title, body=body) for title, body in WATER[1:]]
        related += [
            make_article(
                news, title="مياه الري لا تصل إلى حقول القمح", body="<p>المزارعون ينتظرون مياه الري والآبار جافة.</p>"
            ),
            make_article(
                news, title="موسم القمح في خطر بسبب جفاف الآبار", body="<p>تراجع منسوب الآبار في الحقول.</p>"
            ),
            make_article(news, title="المزارعون يطالبون بحفر آبار جديدة", body="<p>الري بالتنقيط يوفر المياه للقمح.</p>"),
        ]
        unrelated = make_article(
            farming, title="معرض للكتب المستعملة في الساحة", body="<p>روايات قديمة ودواوين شعر بأسعار زهيدة للقراء.</p>"
        )
    assert unrelated.pk not in {pk for pk, _ in similar_articles(article.pk, limit=50)}

    services.refresh([article.pk], neighbours=False)

    rows = list(RelatedArticle.objects.filter(article=article).order_by("rank"))
    assert len(rows) == 4
    assert {row.source for row in rows} == {RelatedSource.TEXT}
    assert {row.related_id for row in rows} <= {other.pk for other in related}


def test_weights_zero_list_what_the_index_finds_in_its_order(topics_site, settings):
    settings.MINBAR_READ_ALSO_WEIGHTS = NO_BOOSTS
    services.refresh_all()
    for items in topics_site.articles.values():
        for article in items:
            by_text = [pk for pk, _ in similar_articles(article.pk, limit=settings.MINBAR_READ_ALSO_COUNT)]
            assert stored_list(article) == by_text, article.title
