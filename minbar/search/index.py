"""Keep the search index in step with what the site publishes.

* `index_articles(ids)`: bring these articles' entries in line with the site:
  analyse and store the live, public ones; drop the others (unpublished,
  deleted, made private). Safe to call any number of times; an entry whose
  text did not change is left alone. Works in batches of
  `MINBAR_SEARCH_INDEX_BATCH_SIZE`, one transaction each.
* `remove_articles(ids)`: drop these articles' entries.
* `rebuild()`: index every live, public article and drop every other entry;
  returns the number of articles indexed. `manage.py rebuild_search_index`
  runs it.

The signal receivers in `receivers.py` call these through background tasks
(`tasks.py`) whenever an article is published, unpublished or deleted, and
after bulk imports.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minbar.core import page_cache

from .analysis import Analyzer, article_body_text
from .backends import engine
from .models import SearchEntry

logger = logging.getLogger(__name__)


def _batches(ids, size=None):
    size = size or settings.MINBAR_SEARCH_INDEX_BATCH_SIZE
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _indexable_articles(ids):
    """The live, public articles among `ids`, with their authors' names and tags."""
    ArticlePage = apps.get_model("newsroom", "ArticlePage")
    ArticleAuthor = apps.get_model("newsroom", "ArticleAuthor")
    ArticleTag = apps.get_model("newsroom", "ArticleTag")
    articles = list(ArticlePage.objects.live().public().filter(pk__in=ids).only("pk", "title", "summary", "body"))
    found = [article.pk for article in articles]
    authors, tags = {}, {}
    for article_id, name in (
        ArticleAuthor.objects.filter(article_id__in=found).order_by("sort_order").values_list("article_id", "author__name")
    ):
        authors.setdefault(article_id, []).append(name)
    for article_id, name in ArticleTag.objects.filter(content_object_id__in=found).values_list(
        "content_object_id", "tag__name"
    ):
        tags.setdefault(article_id, []).append(name)
    return [(article, authors.get(article.pk, ()), tags.get(article.pk, ())) for article in articles]


def build_entry(article, analyzer, author_names=(), tag_names=()):
    """The search entry of one article (not saved)."""
    title_forms, title_stems = analyzer.forms_and_stems(article.title)
    body_forms, body_stems = analyzer.forms_and_stems(article_body_text(article, author_names, tag_names))
    return SearchEntry(
        article_id=article.pk,
        title_forms=title_forms,
        title_stems=title_stems,
        body_forms=body_forms,
        body_stems=body_stems,
        indexed_at=timezone.now(),
    )


def _same_text(old, new):
    return old is not None and all(getattr(old, name) == getattr(new, name) for name in SearchEntry.TEXT_FIELDS)


def _index_batch(ids, analyzer, search_engine, keep_statistics=True):
    with transaction.atomic():
        entries = [build_entry(article, analyzer, names, tags) for article, names, tags in _indexable_articles(ids)]
        previous = SearchEntry.objects.in_bulk(ids)
        changed = [entry for entry in entries if not _same_text(previous.get(entry.pk), entry)]
        gone = set(previous) - {entry.pk for entry in entries}
        if changed:
            SearchEntry.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["article_id"],
                update_fields=[*SearchEntry.TEXT_FIELDS, "indexed_at"],
            )
        if gone:
            SearchEntry.objects.filter(pk__in=gone).delete()
        if keep_statistics:
            touched = {entry.pk for entry in changed} | gone
            search_engine.entries_changed(
                {pk: previous[pk].stems for pk in touched if pk in previous},
                {entry.pk: entry.stems for entry in changed},
            )
    return len(entries), len(changed) + len(gone)


def _results_changed():
    # Publishing already moved the page cache to a new generation, but the
    # index follows in the background: a search page cached in between
    # would go on missing the article. Move it once more now.
    page_cache.bump(page_cache.SEARCH)


def index_articles(article_ids, *, analyzer=None):
    """Index the live, public articles among `article_ids`, drop the others; return how many are indexed."""
    ids = sorted({int(pk) for pk in article_ids})
    if not ids:
        return 0
    analyzer = analyzer or Analyzer()
    search_engine = engine()
    indexed = changed = 0
    for batch in _batches(ids):
        batch_indexed, batch_changed = _index_batch(batch, analyzer, search_engine)
        indexed, changed = indexed + batch_indexed, changed + batch_changed
    if changed:
        _results_changed()
    logger.info("search: indexed %d of %d articles (%d changed)", indexed, len(ids), changed)
    return indexed


def remove_articles(article_ids):
    """Drop these articles' entries, whatever their pages say; return how many were dropped."""
    ids = sorted({int(pk) for pk in article_ids})
    removed = 0
    search_engine = engine()
    for batch in _batches(ids):
        with transaction.atomic():
            previous = SearchEntry.objects.in_bulk(batch)
            SearchEntry.objects.filter(pk__in=list(previous)).delete()
            search_engine.entries_changed({pk: entry.stems for pk, entry in previous.items()}, {})
            removed += len(previous)
    if removed:
        _results_changed()
    return removed


def rebuild(progress=None):
    """Index every live, public article and drop every other entry; return how many are indexed.

    `progress(done, total)` is called after each batch, for commands that
    show how far they are.
    """
    ArticlePage = apps.get_model("newsroom", "ArticlePage")
    ids = list(ArticlePage.objects.live().public().order_by("pk").values_list("pk", flat=True))
    stale = set(SearchEntry.objects.values_list("pk", flat=True)) - set(ids)
    remove_articles(stale)
    analyzer, search_engine = Analyzer(), engine()
    indexed = 0
    for batch in _batches(ids):
        # The statistics are counted once, at the end, rather than batch by batch.
        indexed += _index_batch(batch, analyzer, search_engine, keep_statistics=False)[0]
        if progress:
            progress(indexed, len(ids))
    search_engine.after_rebuild()
    _results_changed()
    logger.info("search: rebuilt the index of %d articles", indexed)
    return indexed
