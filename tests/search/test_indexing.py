"""The index follows what the site publishes: in the background, after commit, in batches."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks.signals import task_enqueued
from wagtail.models import Page, PageViewRestriction

from minbar.arabic import analyze_pairs, build_variants
from minbar.newsroom.models import ArticlePage, Author
from minbar.newsroom.signals import articles_imported
from minbar.search import index, services
from minbar.search.analysis import Analyzer
from minbar.search.management.commands.rebuild_search_index import Command as RebuildCommand
from minbar.search.models import SearchEntry, TermStatistic
from tests.factories import make_article, make_author

from .conftest import paragraphs

pytestmark = pytest.mark.django_db

WELL_BODY = paragraphs("حفر أهالي القرية بئرا جديدة بعد جفاف الينابيع في الصيف.")


def found(query, **filters):
    return [article.pk for article in services.search(query, **filters).articles]


def test_publishing_indexes_the_article_only_once_the_transaction_commits(django_capture_on_commit_callbacks, section):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        article = make_article(section, title="بئر القرية الجديدة", body=WELL_BODY)
    assert queued, "publishing queued nothing to run on commit"
    assert not SearchEntry.objects.filter(pk=article.pk).exists()
    assert found("بئر") == []

    for callback in queued:
        callback()
    assert found("بئر") == [article.pk]


def test_a_draft_is_not_found(publish, section):
    publish(section, "بئر القرية الجديدة", WELL_BODY, live=False)
    assert found("بئر") == []


def test_unpublishing_removes_the_article_from_results(publish, unpublish, section):
    article = publish(section, "بئر القرية الجديدة", WELL_BODY)
    unpublish(article)
    assert found("بئر") == []
    assert not SearchEntry.objects.filter(pk=article.pk).exists()


def test_editing_and_publishing_again_updates_what_finds_the_article(publish, republish, section):
    article = publish(section, "بئر القرية الجديدة", WELL_BODY)
    republish(article, title="سد القرية الجديد", body=paragraphs("بنى الأهالي سدا ترابيا صغيرا على الوادي."))
    assert found("بئر") == []
    assert found("سد الوادي") == [article.pk]


def test_deleting_an_article_or_its_section_removes_the_entries(publish, on_commit, section, other_section):
    article = publish(section, "بئر القرية الجديدة", WELL_BODY)
    other = publish(other_section, "بئر المدرسة", WELL_BODY)
    with on_commit():
        Page.objects.get(pk=article.pk).delete()
    assert not SearchEntry.objects.filter(pk=article.pk).exists()
    with on_commit():
        Page.objects.get(pk=other_section.pk).delete()
    assert not SearchEntry.objects.exists()
    assert found("بئر") == []
    assert not ArticlePage.objects.filter(pk=other.pk).exists()


def test_an_article_behind_a_view_restriction_leaves_the_results(publish, on_commit, section):
    article = publish(section, "بئر القرية الجديدة", WELL_BODY)
    with on_commit():
        restriction = PageViewRestriction.objects.create(page=section, restriction_type="password", password="x")
    assert found("بئر") == []
    assert not SearchEntry.objects.filter(pk=article.pk).exists()
    with on_commit():
        restriction.delete()
    assert found("بئر") == [article.pk]


def test_renaming_an_author_finds_the_articles_by_the_new_name(publish, on_commit, section):
    author = make_author(name="هيفاء العلي")
    article = publish(section, "بئر القرية الجديدة", WELL_BODY, authors=[author])
    with on_commit():
        author.name = "هيفاء الأحمد"
        author.save()
    assert found("الأحمد") == [article.pk]
    assert found("العلي") == []
    assert Author.objects.get(pk=author.pk).name == "هيفاء الأحمد"


def _import_without_publish_signals(section, count):
    """Articles created live the way bulk importers do: no revision, no page_published."""
    ids = []
    for number in range(count):
        article = ArticlePage(
            title=f"نشرة الطقس رقم {number}", slug=f"weather-{number}", body=WELL_BODY, live=True
        )
        section.add_child(instance=article)
        ids.append(article.pk)
    return ids


def test_a_bulk_import_is_indexed_by_one_task_in_batches(on_commit, section, settings):
    settings.MINBAR_SEARCH_INDEX_BATCH_SIZE = 2
    ids = _import_without_publish_signals(section, 5)
    assert found("الطقس") == []
    enqueued = []

    def remember(sender, task_result, **kwargs):
        if task_result.task.module_path.startswith("minbar.search."):
            enqueued.append(task_result.task.name)

    task_enqueued.connect(remember)
    try:
        with on_commit():
            articles_imported.send(sender=None, page_ids=ids)
    finally:
        task_enqueued.disconnect(remember)
    assert enqueued == ["index_articles"]
    assert sorted(found("الطقس", per_page=10)) == sorted(ids)


def test_rebuild_indexes_every_live_article_and_drops_stale_entries(section):
    ids = _import_without_publish_signals(section, 3)
    SearchEntry.objects.create(article_id=999_999, title_forms="قديم", title_stems="قديم")
    assert index.rebuild() == 3
    assert sorted(SearchEntry.objects.values_list("pk", flat=True)) == sorted(ids)
    assert sorted(found("الطقس")) == sorted(ids)


def test_rebuild_command_reports_how_many_articles_it_indexed(section):
    _import_without_publish_signals(section, 2)
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    pattern = re.escape(str(RebuildCommand.DONE))
    pattern = pattern.replace(re.escape("%(count)s"), "2").replace(re.escape("%(seconds)s"), r"[0-9.]+")
    assert re.fullmatch(pattern, out.getvalue().strip())
    quiet = StringIO()
    call_command("rebuild_search_index", stdout=quiet, verbosity=0)
    assert quiet.getvalue() == ""


def test_an_unchanged_article_is_not_written_again(publish, section):
    article = publish(section, "بئر القرية الجديدة", WELL_BODY)
    before = SearchEntry.objects.get(pk=article.pk).indexed_at
    index.index_articles([article.pk])
    assert SearchEntry.objects.get(pk=article.pk).indexed_at == before


def test_term_statistics_count_the_articles_holding_each_stem(publish, unpublish, section):
    first = publish(section, "بئر القرية", WELL_BODY)
    publish(section, "بئر المدرسة", paragraphs("حفرت البلدية بئرا قرب المدرسة."))
    assert TermStatistic.objects.get(term="بير").documents == 2
    unpublish(first)
    assert TermStatistic.objects.get(term="بير").documents == 1
    counted = dict(TermStatistic.objects.values_list("term", "documents"))
    index.rebuild()
    assert dict(TermStatistic.objects.values_list("term", "documents")) == counted


@pytest.mark.parametrize(
    "text",
    [
        "اعلن مجلس البلديةـ أن 300متطوع تَمَّ تسجيلهم في 20 / 1/ 2022",
        "ڕۆژنامەکان لە هەولێر و کوردستان",
        "كوردستان ولكوردستان والمسؤولية ۲۰۲۲",
        "Local radio, ٢٠٢٣ and ‏mixed‏ text",
    ],
)
def test_the_cached_analyzer_gives_what_minbar_arabic_gives(text):
    variants = build_variants([("ولات", "بلاد")])
    analyzer = Analyzer(variants)
    assert analyzer.pairs(text) == analyze_pairs(text, variants=variants)
    assert analyzer.pairs(text) == analyze_pairs(text, variants=variants)  # from the cache this time
