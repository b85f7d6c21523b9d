"""Readers' pages cost a fixed number of queries, whatever they list."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article, make_author, make_image, make_section, make_series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_page_cache")]

# The article page, measured: site (1), Wagtail's routing home → section →
# article (5), alias check and view restrictions (2), authors (1), tags (1),
# read also (1), the series and its parts (2), site settings (1), cover image
# (1), section navigation (1). Read also is the stored list (minbar.related):
# titles, links and teasers in one query that also leaves out unpublished and
# restricted articles; it was 3 queries (view restrictions, articles, bylines)
# when the page computed the list itself, as it still does, at that cost, for
# an article whose list the worker has not computed yet. The comment section:
# discussion settings (1) and every shown comment with its passage question
# (1); threads are built in memory. The rating box: the article's rating
# summary (1), shared with the JSON-LD's AggregateRating.
ARTICLE_PAGE_QUERIES = 19


@pytest.fixture
def _no_page_cache(settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 0


def _queries_for(client, url):
    client.get(url)  # warm Wagtail's per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), captured


def _small_article(section):
    """Same shape as the large one (in a series, with a cover) but one of everything."""
    make_article(section, title="مقال قريب وحيد")
    return make_article(
        section,
        title="مقال بكاتب واحد",
        authors=[make_author(name="كاتب واحد")],
        tags=["سوريا"],
        series=make_series(),
        part_number=1,
        cover_image=make_image(),
    )


def _large_article(section):
    authors = [make_author(name=f"كاتب {n}") for n in range(4)]
    authors.append(make_author(name="جمعية المدينة", kind="organization"))
    series = make_series()
    for part in (1, 2):
        make_article(section, title=f"جزء {part}", authors=authors[:2], series=series, part_number=part)
    for n in range(6):
        make_article(section, title=f"مقال قريب {n}", authors=[authors[n % 5]], tags=["الحسكة"])
    article = make_article(
        section,
        title="مقال بخمسة كتاب",
        authors=authors,
        tags=["سوريا", "الحسكة", "كوردستان", "الإدارة الذاتية", "الإعلام", "التعليم"],
        series=series,
        part_number=3,
        cover_image=make_image(),
    )
    _discussion(article)
    return article


def _discussion(article):
    """Threads, a reply at the deepest level, a deleted comment kept for its replies, a passage comment."""
    from minbar.comments.models import Comment, CommentStatus

    for n in range(3):
        top = Comment.objects.create(article=article, author_name=f"قارئ {n}", body="رأي", status=CommentStatus.APPROVED, upvotes=n)
        reply = Comment.objects.create(article=article, parent=top, depth=2, author_name="مجيب", body="ردّ", status=CommentStatus.APPROVED)
        Comment.objects.create(article=article, parent=reply, depth=3, author_name="آخر", body="@مجيب نعم", status=CommentStatus.APPROVED)
    Comment.objects.filter(author_name="قارئ 0").update(status=CommentStatus.DELETED, body="", author_name="")
    Comment.objects.create(article=article, author_name="قارئة", body="عن المقطع", quote="السوق القديم", status=CommentStatus.APPROVED)


def test_article_page_query_count_does_not_grow_with_authors_tags_or_related(
    client, django_capture_on_commit_callbacks
):
    section = make_section()
    # Publishing queues the "read also" computation on commit; run it, as the worker would.
    with django_capture_on_commit_callbacks(execute=True):
        small, large = _small_article(make_section()), _large_article(section)
    small_count, _ = _queries_for(client, small.url)
    large_count, captured = _queries_for(client, large.url)
    assert large_count == small_count, "\n".join(q["sql"] for q in captured.captured_queries)
    assert large_count == ARTICLE_PAGE_QUERIES, "\n".join(q["sql"][:90] for q in captured.captured_queries)


@pytest.mark.parametrize("page", ["home", "section", "author", "tag"])
def test_list_pages_query_count_does_not_grow_with_items(client, page):
    section = make_section()
    author = make_author()
    make_article(section, authors=[author], tags=["سوريا"])
    urls = {"home": "/", "section": section.url, "author": author.get_absolute_url(), "tag": "/tag/sorya/"}
    if page == "tag":
        from taggit.models import Tag

        urls["tag"] = f"/tag/{Tag.objects.get().slug}/"
    few, _ = _queries_for(client, urls[page])
    for n in range(8):
        make_article(
            section,
            authors=[author, make_author(name=f"كاتب {n}")],
            tags=["سوريا", f"وسم {n}"],
            cover_image=make_image(),
        )
    many, captured = _queries_for(client, urls[page])
    assert many == few, "\n".join(q["sql"] for q in captured.captured_queries)


def _comments(article, count):
    """`count` approved comments: threads three deep, votes on some, one on a passage."""
    from minbar.comments.models import Comment, CommentStatus

    made = 0
    while made < count:
        top = Comment.objects.create(
            article=article, author_name=f"قارئ {made}", body=f"رأي رقم {made}", status=CommentStatus.APPROVED, upvotes=made % 4
        )
        made += 1
        parent = top
        for depth in (2, 3):
            if made >= count:
                break
            parent = Comment.objects.create(
                article=article, parent=parent, depth=depth, author_name="مجيب", body=f"رد {made}", status=CommentStatus.APPROVED
            )
            made += 1
    first = Comment.objects.filter(article=article, depth=1).order_by("pk").first()
    Comment.objects.filter(pk=first.pk).update(quote="السوق القديم")


def test_uncached_article_page_with_fifty_comments_runs_a_fixed_number_of_queries(
    client, settings, django_capture_on_commit_callbacks
):
    """The page a cache miss renders: the same queries with 1 comment as with 50, and a hit runs none."""
    from minbar.comments.models import Comment

    section = make_section()
    with django_capture_on_commit_callbacks(execute=True):
        make_article(section, title="مقال قريب وحيد")
        one = make_article(section, title="مقال بتعليق واحد", tags=["سوريا"], cover_image=make_image())
        fifty = make_article(section, title="مقال بخمسين تعليقا", tags=["سوريا"], cover_image=make_image())
    _comments(one, 1)
    _comments(fifty, 50)
    assert Comment.objects.filter(article=fifty).count() == 50
    with_one, _ = _queries_for(client, one.url)
    with_fifty, captured = _queries_for(client, fifty.url)
    # Not in a series: the series and its parts (2 queries) are not read.
    expected = ARTICLE_PAGE_QUERIES - 2
    assert with_fifty == with_one == expected, "\n".join(q["sql"][:90] for q in captured.captured_queries)
    page = client.get(fifty.url).content.decode()
    assert "رأي رقم 48" in page and "رد 49" in page

    # With the page cache on: a miss renders with the same queries, a hit runs none.
    settings.MINBAR_PAGE_CACHE_SECONDS = 300
    with CaptureQueriesContext(connection) as miss:
        assert client.get(fifty.url)["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as hit:
        assert client.get(fifty.url)["X-Cache"] == "hit"
    assert len(miss.captured_queries) == expected
    assert len(hit.captured_queries) == 0
