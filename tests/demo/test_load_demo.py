"""The demo newsroom: what `minbar demo` puts on a fresh site, and that it is safe to repeat."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from django.db import transaction
from django.test import override_settings
from wagtail.models import Revision

from minbar.comments.models import Comment, CommentStatus, CommentVote
from minbar.core.models import SiteSettings
from minbar.ratings.models import Rating, RatingSummary
from minbar.newsroom import queries
from minbar.newsroom.models import ArticleKind, ArticlePage, Author, Series

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for this module (it takes a while) and roll it back afterwards.

    Each test still runs in its own savepoint inside this transaction, so what a
    test changes is undone before the next one.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        out = io.StringIO()
        with translation.override("en"):  # the summary is asserted on in English
            call_command("load_demo", stdout=out)
        yield {"output": out.getvalue(), "media": media}
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, settings):
    settings.MEDIA_ROOT = demo_loaded["media"]  # the pictures live where the demo drew them
    return demo_loaded["output"]


def live_articles():
    return ArticlePage.objects.live()


def counts():
    return {
        "articles": ArticlePage.objects.count(),
        "live": live_articles().count(),
        "authors": Author.objects.count(),
        "series": Series.objects.count(),
        "revisions": Revision.objects.count(),
        "tags": ArticlePage.tags.through.objects.count(),
        "comments": Comment.objects.count(),
        "votes": CommentVote.objects.count(),
        "ratings": Rating.objects.count(),
    }


def test_a_full_newsroom_of_live_articles_of_every_kind(demo):
    assert live_articles().count() >= 30
    assert set(live_articles().values_list("kind", flat=True)) == set(ArticleKind.values)
    assert f"{ArticlePage.objects.count()} articles" in demo  # the summary says what is there


def test_authors_include_an_organization_with_a_live_press_statement(demo):
    assert Author.objects.count() >= 6
    organizations = Author.objects.filter(kind="organization")
    assert organizations.exists()
    statements = live_articles().filter(kind=ArticleKind.PRESS_STATEMENT, article_authors__author__in=organizations)
    assert statements.exists()
    assert all(statement.title.startswith("تصريح صحفي") for statement in statements)
    assert all(author.photo_id and author.bio for author in Author.objects.all())


def test_two_series_of_three_parts_one_complete_one_waiting_for_its_last_part(demo):
    series = list(Series.objects.all())
    assert len(series) == 2
    for item in series:
        assert sorted(item.articles.values_list("part_number", flat=True)) == [1, 2, 3]
        assert len(set(item.articles.values_list("title", flat=True))) == 1  # the part marker is not in the title
    complete = Series.objects.get(is_complete=True)
    assert complete.articles.live().count() == 3
    assert not queries.series_navigation(complete.articles.get(part_number=3))["is_continued"]

    waiting = Series.objects.get(is_complete=False)
    part2 = waiting.articles.get(part_number=2)
    part3 = waiting.articles.get(part_number=3)
    assert part2.live and not part3.live
    assert part3.get_latest_revision().approved_go_live_at is not None  # scheduled, not a forgotten draft
    assert queries.series_navigation(part2)["is_continued"] is True
    assert queries.series_navigation(waiting.articles.get(part_number=1))["next_part"].pk == part2.pk


def test_the_second_part_tells_readers_it_is_to_be_continued(demo, client):
    part2 = Series.objects.get(is_complete=False).articles.get(part_number=2)
    response = client.get(part2.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "يتبع" in content
    part1 = part2.series.articles.get(part_number=1)
    assert part1.continued_label not in client.get(part1.url).content.decode()


def test_articles_in_central_kurdish_and_english(demo):
    kurdish = live_articles().filter(language="ckb")
    assert kurdish.count() >= 2
    assert all(any(letter in article.body for letter in "ەێۆڕڵ") for article in kurdish)
    assert live_articles().filter(language="en").exists()


def test_every_live_article_has_a_cover_a_byline_and_tags(demo):
    for article in live_articles().specific():
        assert article.cover_image is not None, article.slug
        assert article.cover_image.width == 1200 and article.cover_image.height == 675
        assert article.cover_caption
        assert article.tags.exists(), article.slug
        assert article.article_authors.exists(), article.slug
    # Tags are shared: a reader can follow one from article to article.
    assert ArticlePage.tags.through.objects.values("tag").distinct().count() < ArticlePage.tags.through.objects.count()


def test_publication_dates_spread_over_weeks_with_some_from_the_last_two_days(demo):
    from django.utils import timezone

    now = timezone.now()
    ages = [(now - article.first_published_at).days for article in live_articles()]
    assert max(ages) >= 40
    assert sum(1 for article in live_articles() if (now - article.first_published_at).total_seconds() < 2 * 86400) >= 2


def test_one_article_carries_a_correction(demo):
    corrected = live_articles().exclude(updated_at=None)
    assert corrected.count() == 1
    article = corrected.get()
    assert article.updated_at > article.first_published_at
    assert "تصحيح" in article.body


def test_the_text_is_as_messy_as_real_arabic_sites_publish(demo):
    bodies = " ".join(ArticlePage.objects.values_list("body", flat=True))
    assert "الاهالي" in bodies and "الأهالي" in bodies  # hamza written and left out
    assert "المجلسـ" in bodies  # tatweel used as a dash
    assert "\u06a9" in "".join(ArticlePage.objects.filter(language="ar").values_list("body", flat=True))  # keheh
    assert "كوردستان" in bodies and "كردستان" in bodies
    assert "300متطوع" in bodies  # digits glued to a word
    assert "\u00a0" in bodies
    assert "20 / 1/ 2022" in bodies


def test_site_settings_name_the_site(demo):
    site_settings = SiteSettings.load()
    assert site_settings.site_name == "منبر"
    assert site_settings.tagline
    assert site_settings.publisher_name


def test_running_it_twice_adds_nothing(demo):
    before = counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)  # in the default interface language, Arabic
    assert counts() == before
    assert "المحتوى التجريبي موجود من قبل" in out.getvalue()


def test_the_front_page_and_sections_show_the_demo(demo, client):
    response = client.get("/")
    assert response.status_code == 200
    opinion = ArticlePage.objects.live().filter(kind="opinion").first().get_parent()
    assert client.get(opinion.url).status_code == 200


def test_the_first_series_part_has_a_discussion(demo, client):
    article = ArticlePage.objects.get(slug="local-press-after-paper-1")
    comments = Comment.objects.filter(article=article, status=CommentStatus.APPROVED)
    assert comments.filter(parent__isnull=False).exists(), "no replies in the demo discussion"
    answer = comments.get(question__isnull=False)
    assert answer.question.is_open and answer.quote, "the passage question has no anchored answer"
    for comment in comments:
        votes = CommentVote.objects.filter(comment=comment)
        assert (comment.upvotes, comment.downvotes) == (votes.filter(value=1).count(), votes.filter(value=-1).count())
    summary = RatingSummary.objects.get(article=article)
    ratings = Rating.objects.filter(article=article)
    assert (summary.count, summary.total) == (ratings.count(), sum(ratings.values_list("score", flat=True)))

    page = client.get(article.url).content.decode()
    assert answer.body in page
    assert 'data-passage="' in page, "the marked passage is not shown to readers"
