"""The article page shows its stored "read also" list, read in one query."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minbar.newsroom import queries
from minbar.newsroom.models import ArticlePage
from minbar.related.models import RelatedArticle
from tests.factories import make_article, make_author, make_series

pytestmark = pytest.mark.django_db

TEASER_WORDS = 8


@pytest.fixture(autouse=True)
def _short_teasers_no_page_cache(settings):
    """Teasers shorter than the test articles (they are stored when lists are computed)."""
    settings.MINBAR_EXCERPT_WORDS = TEASER_WORDS
    settings.MINBAR_PAGE_CACHE_SECONDS = 0


def read_also_block(client, url):
    response = client.get(url)
    assert response.status_code == 200
    match = re.search(r'<section class="read-also".*?</section>', response.content.decode(), re.S)
    return match.group(0) if match else ""


def items_of(block):
    """(lang, dir, href, title, teaser) of each item, as the reader gets them."""
    pattern = (
        r'<li lang="([^"]*)" dir="([^"]*)"><a href="([^"]*)"><span class="read-also-title">([^<]*)</span> '
        r'<span class="read-also-teaser">([^<]*)</span></a></li>'
    )
    return [tuple(unescape(part) for part in item) for item in re.findall(pattern, block)]


def test_article_page_shows_the_stored_list_with_titles_links_and_teasers(client, topics_site):
    article = topics_site.articles["water"][0]
    stored = [row.related for row in RelatedArticle.objects.filter(article=article).select_related("related")]
    items = items_of(read_also_block(client, article.url))
    assert [(title, href) for _, _, href, title, _ in items] == [(item.title, item.url) for item in stored]
    for (_, _, _, _, teaser), item in zip(items, stored):
        item = ArticlePage.objects.get(pk=item.pk)
        assert teaser.startswith(item.authors[0].name + " ")
        assert teaser.endswith("…")
        assert len(teaser.split()) <= len(item.authors[0].name.split()) + TEASER_WORDS


def test_the_list_is_read_in_one_query(topics_site):
    article = ArticlePage.objects.get(pk=topics_site.articles["football"][0].pk)
    section_id = article.get_parent().pk
    with CaptureQueriesContext(connection) as captured:
        items = queries.read_also(article, section_id)
        shown = [(item.title, item.part_label, item.language, item.direction, item.url_path, item.teaser) for item in items]
    assert len(shown) == 4
    assert len(captured.captured_queries) == 1, "\n".join(query["sql"] for query in captured.captured_queries)


def test_series_part_label_shows_after_a_related_title(client, topics_site, publishing):
    series = make_series("حكايات الملاعب", slug="stadium-stories")
    with publishing():
        part = make_article(
            topics_site.section,
            title="لاعبو الفريق القديم يتذكرون مباراة الكأس",
            body="<p>يروي اللاعبون كيف سجل المهاجم هدف الفوز بالكأس أمام جمهور الملعب.</p>",
            series=series,
            part_number=2,
        )
    titles = [title for *_, title, _ in items_of(read_also_block(client, topics_site.articles["football"][2].url))]
    assert f"{part.title} ج2" in titles


def test_an_unpublished_related_article_leaves_the_page_at_once(client, topics_site):
    """Even before the background task has computed the list again."""
    article = topics_site.articles["elections"][0]
    gone = ArticlePage.objects.get(pk=RelatedArticle.objects.filter(article=article).get(rank=1).related_id)
    assert gone.title in read_also_block(client, article.url)
    gone.unpublish()  # its task is queued on commit, which this test never reaches
    block = read_also_block(client, article.url)
    assert gone.title not in block and gone.url not in block
    assert len(items_of(block)) == 3


def test_a_related_article_behind_a_view_restriction_is_not_shown(client, topics_site):
    from wagtail.models import PageViewRestriction

    article = topics_site.articles["water"][0]
    hidden = ArticlePage.objects.get(pk=RelatedArticle.objects.filter(article=article).get(rank=1).related_id)
    PageViewRestriction.objects.create(page=hidden.get_parent(), restriction_type="password", password="سر")
    assert hidden.title not in read_also_block(client, article.url)


def test_an_article_not_computed_yet_shows_the_fallback(client, topics_site):
    """Before the worker has run, the page still shows the same author's other articles."""
    article = topics_site.articles["water"][0]
    RelatedArticle.objects.filter(article=article).delete()
    items = items_of(read_also_block(client, article.url))
    by_same_author = {a.title for items in topics_site.articles.values() for a in items if a.authors == article.authors}
    assert {title for *_, title, _ in items[:2]} == by_same_author - {article.title}
    assert all(teaser.startswith(topics_site.authors[0].name) for *_, teaser in items[:2])


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "اقرأ أيضًا"), ("/ckb", "ئەمانەش بخوێنەوە"), ("/en", "Read also")]
)
def test_read_also_in_each_interface_keeps_each_article_in_its_own_language(
    client, topics_site, publishing, prefix, heading
):
    writer = make_author("Shirin Bakr", slug="shirin-bakr")
    with publishing():
        english = make_article(
            topics_site.section,
            title="Young football team wins the cup",
            body="<p>The striker scored twice in the final and the crowd stayed in the stadium until midnight.</p>",
            language="en",
            authors=[writer],
        )
        kurdish = make_article(
            topics_site.section,
            title="یاریگای نوێی تۆپی پێ بۆ گەنجان",
            body="<p>یاریزانە گەنجەکان لە یاریگا نوێیەکەدا یاری دەکەن و جەماوەر هاندەریان دەبێت.</p>",
            language="ckb",
            authors=[writer],
        )
    block = read_also_block(client, prefix + english.url)
    assert f">{heading}</h2>" in block
    items = {title: (lang, direction) for lang, direction, _, title, _ in items_of(block)}
    assert items[kurdish.title] == ("ckb", "rtl")
    assert all(items[a.title] == ("ar", "rtl") for a in topics_site.articles["football"] if a.title in items)
    own = items_of(read_also_block(client, prefix + kurdish.url))
    assert ("en", "ltr") in {(lang, direction) for lang, direction, *_ in own}


def test_a_cached_page_shows_the_list_once_it_is_computed(
    client, topics_site, settings, django_capture_on_commit_callbacks
):
    """A reader may cache the old list between the publication and our background task."""
    from minbar.related.tasks import refresh_read_also
    from minbar.search.index import index_articles

    settings.MINBAR_PAGE_CACHE_SECONDS = 300
    older = topics_site.articles["water"][0]
    with django_capture_on_commit_callbacks(execute=False):  # the worker is busy: nothing runs yet
        newcomer = make_article(
            topics_site.section,
            title="مزارعو القمح يحفرون آبار ري جديدة قبل موسم العطش",
            body="<p>يقول المزارعون إن مياه الآبار القديمة لم تعد تكفي الحقول، فحفروا آباراً جديدة للري.</p>",
        )
    index_articles([newcomer.pk])  # the search app's task, which runs first
    assert newcomer.title not in read_also_block(client, older.url)  # now in the page cache
    refresh_read_also.enqueue(article_ids=[newcomer.pk])  # what our receiver queued
    assert RelatedArticle.objects.filter(article=older, related=newcomer).exists()
    assert newcomer.title in read_also_block(client, older.url)
