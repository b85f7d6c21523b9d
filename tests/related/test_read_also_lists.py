"""Each article's "read also" list: related by subject, computed on publish, stored."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django_tasks.signals import task_enqueued

from minbar.newsroom.models import ArticlePage
from minbar.newsroom.signals import articles_imported
from minbar.related import services
from minbar.related.management.commands.refresh_related import Command as RefreshCommand
from minbar.related.models import RelatedArticle, RelatedSource
from tests.factories import days_ago, make_article, make_author, make_section, make_series

from .conftest import WATER

pytestmark = pytest.mark.django_db


def stored_list(article):
    return list(RelatedArticle.objects.filter(article=article).order_by("rank").values_list("related_id", flat=True))


def test_every_published_article_gets_a_full_stored_list(topics_site, settings):
    for items in topics_site.articles.values():
        for article in items:
            listed = stored_list(article)
            assert len(listed) == settings.MINBAR_READ_ALSO_COUNT
            assert article.pk not in listed


@pytest.mark.parametrize("topic", ["water", "football", "elections"])
def test_read_also_starts_with_the_articles_on_the_same_subject(topics_site, topic):
    """Over the whole site, as `refresh_related` computes it.

    A list computed on publication sees the site as it was then: on a site of
    six articles one by the same writer on another subject can still edge out
    one on the same subject, and stays until the list is computed again.
    """
    services.refresh_all()
    for article in topics_site.articles[topic]:
        same_subject = {other.pk for other in topics_site.articles[topic]} - {article.pk}
        rows = list(RelatedArticle.objects.filter(article=article).order_by("rank"))
        first_two = [row.related_id for row in rows[:2]]
        assert set(first_two) == same_subject, (
            f"{article.title}: lists {[topics_site.topic_of(pk) for pk in first_two]} first"
        )
        assert all(row.source == RelatedSource.TEXT and row.score > 0 for row in rows[:2])


def test_other_parts_of_the_series_are_left_out(topics_site, publishing):
    series = make_series("سنوات العطش", slug="years-of-thirst")
    title, body = WATER[0]
    with publishing():
        parts = [
            make_article(topics_site.section, title=title, body=body, series=series, part_number=n, slug=f"thirst-{n}")
            for n in (1, 2)
        ]
    for part, other_part in (parts, parts[::-1]):
        listed = stored_list(part)
        assert other_part.pk not in listed
        # The same words, so without the series rule the other part would come first.
        assert topics_site.articles["water"][0].pk == listed[0]


def test_a_newly_published_article_enters_the_older_lists_of_its_subject(topics_site, publishing):
    older = topics_site.articles["football"][0]
    with publishing():
        newcomer = make_article(
            topics_site.section,
            title="حارس مرمى الفريق يتصدى لركلة جزاء في مباراة الكأس",
            body="<p>أنقذ الحارس الفريق في الدقيقة الأخيرة من المباراة، وصفق له الجمهور واللاعبون في الملعب.</p>",
        )
    assert topics_site.topic_of(stored_list(newcomer)[0]) == "football"
    assert newcomer.pk in stored_list(older)


def test_unpublishing_a_related_article_computes_the_lists_that_showed_it_again(topics_site, publishing, settings):
    water = topics_site.articles["water"]
    gone = water[1]
    showing_it = set(RelatedArticle.objects.filter(related=gone).values_list("article_id", flat=True))
    assert water[0].pk in showing_it
    with publishing():
        ArticlePage.objects.get(pk=gone.pk).unpublish()
    assert not RelatedArticle.objects.filter(related=gone).exists()
    for article_id in showing_it:
        assert len(stored_list(article_id)) == settings.MINBAR_READ_ALSO_COUNT


def test_deleting_a_related_article_computes_the_lists_that_showed_it_again(topics_site, publishing, settings):
    water = topics_site.articles["water"]
    with publishing():
        ArticlePage.objects.get(pk=water[2].pk).delete()
    assert len(stored_list(water[0])) == settings.MINBAR_READ_ALSO_COUNT
    assert water[1].pk == stored_list(water[0])[0]


def test_a_tiny_site_whose_texts_share_no_word_still_shows_read_also(publishing):
    """Nothing relates these articles by their words (nor their authors' names): the section fills the list."""
    section = make_section("منوعات", slug="misc")
    elsewhere = make_section("ثقافة", slug="culture")
    with publishing():
        rain = make_article(
            section, title="أمطار غزيرة تغمر الوديان", body="<p>سيول جارفة ليلاً.</p>",
            authors=[make_author("آزاد حسو", slug="azad-hasso")],
        )
        make_article(
            elsewhere, title="مهرجان للدمى المتحركة", body="<p>عروض مسرحية للصغار.</p>",
            authors=[make_author("ليلى مراد", slug="layla-murad")],
        )
        bakery = make_article(
            section, title="Bakery opens downtown", body="<p>Fresh bread every morning.</p>", language="en",
            authors=[make_author("Rojda Ali", slug="rojda-ali")],
        )
    rows = RelatedArticle.objects.filter(article=rain).order_by("rank")
    assert [(row.related_id, row.source) for row in rows] == [(bakery.pk, RelatedSource.SECTION)]


def test_an_article_the_index_cannot_relate_gets_the_same_author_then_the_same_section(monkeypatch):
    """The fallback order when the text finds nothing (say, an article missing from the index)."""
    import minbar.search.services

    monkeypatch.setattr(minbar.search.services, "similar_articles", lambda *args, **kwargs: [])
    section, elsewhere = make_section("منوعات", slug="misc"), make_section("ثقافة", slug="culture")
    writer = make_author("آزاد حسو", slug="azad-hasso")
    article = make_article(section, authors=[writer])
    old_by_writer = make_article(elsewhere, authors=[writer], published_at=days_ago(9))
    new_by_writer = make_article(elsewhere, authors=[writer], published_at=days_ago(1))
    old_in_section = make_article(section, published_at=days_ago(5))
    new_in_section = make_article(section, published_at=days_ago(2))
    make_article(elsewhere, published_at=days_ago(1))  # neither: not listed
    services.refresh([article.pk], neighbours=False)
    rows = RelatedArticle.objects.filter(article=article).order_by("rank")
    assert [(row.related_id, row.source) for row in rows] == [
        (new_by_writer.pk, RelatedSource.AUTHOR),
        (old_by_writer.pk, RelatedSource.AUTHOR),
        (new_in_section.pk, RelatedSource.SECTION),
        (old_in_section.pk, RelatedSource.SECTION),
    ]


def test_republishing_an_article_rewrites_its_teaser_in_the_other_lists(topics_site, publishing):
    shown = topics_site.articles["elections"][1]
    lists_showing_it = RelatedArticle.objects.filter(related=shown)
    assert lists_showing_it.exists()
    page = ArticlePage.objects.get(pk=shown.pk)
    page.summary = "ملخص جديد كتبه المحرر بعد تصحيح الأرقام"
    with publishing():
        page.save_revision().publish()
    assert {row.teaser for row in lists_showing_it} == {f"{shown.authors[0].name} ملخص جديد كتبه المحرر بعد تصحيح الأرقام"}


def test_imported_articles_are_computed_in_one_task(topics_site, publishing, monkeypatch):
    """An import sends one signal; every list is computed, in batches, by one task."""
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    imported = [article for items in topics_site.articles.values() for article in items]
    RelatedArticle.objects.all().delete()
    runs = []

    def record(sender, task_result, **kwargs):
        runs.append((task_result.task.name, task_result.args, task_result.kwargs))

    task_enqueued.connect(record)
    try:
        with publishing():
            articles_imported.send(sender=None, page_ids=[article.pk for article in imported])
    finally:
        task_enqueued.disconnect(record)
    assert [name for name, _, _ in runs if name == "refresh_read_also"] == ["refresh_read_also"]
    for article in imported:
        assert len(stored_list(article)) == 4


def test_refresh_related_command_computes_every_live_article(topics_site):
    RelatedArticle.objects.all().delete()
    out = io.StringIO()
    with translation.override("en"):
        call_command("refresh_related", stdout=out)
        progress = str(RefreshCommand.PROGRESS % {"done": 9, "total": 9})
        done = str(RefreshCommand.DONE % {"count": 9, "seconds": 0, "per_article": 0})
    # The timings vary; the count before them does not.
    assert progress in out.getvalue()
    assert done[: done.index("0.0")] in out.getvalue()
    assert RelatedArticle.objects.values("article").distinct().count() == 9


@override_settings(MINBAR_READ_ALSO_COUNT=2)
def test_the_list_length_is_a_setting(topics_site):
    services.refresh([topics_site.articles["water"][0].pk], neighbours=False)
    assert len(stored_list(topics_site.articles["water"][0])) == 2


def test_an_article_the_search_index_has_not_seen_yet_is_indexed_first(topics_site):
    """The worker may run our task before the search app's: the list is still related by text."""
    from minbar.search.index import remove_articles

    article = topics_site.articles["water"][0]
    remove_articles([article.pk])
    services.refresh([article.pk], neighbours=False)
    same_subject = {other.pk for other in topics_site.articles["water"]} - {article.pk}
    assert set(stored_list(article)[:2]) == same_subject


def test_renaming_an_author_rewrites_the_teasers_that_name_them(topics_site, publishing):
    author = topics_site.authors[1]
    shown = RelatedArticle.objects.filter(related__article_authors__author=author)
    assert shown.exists()
    author.name = "سردار خليل الحسيني"
    with publishing():
        author.save()
    assert all(row.teaser.startswith("سردار خليل الحسيني ") for row in shown)
