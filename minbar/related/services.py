"""Compute and store each article's "read also" list.

An article's list is chosen from the articles related to it by their text,
found by `minbar.search.services.similar_articles` (the search index's "more
like this"), leaving out the other parts of its own series: they have their
own navigation. The index is asked for a pool of MINBAR_READ_ALSO_POOL_FACTOR
times the list's length, re-ranked by section, shared tags and shared authors
(minbar.related.ranking), and the best are listed. When the text finds fewer
than MINBAR_READ_ALSO_COUNT articles (a young site, an article not indexed
yet) the list is filled with the newest articles by the same author, then from
the same section, so that even a small site shows "read also".

Lists are stored with each item's teaser, so the article page reads its list
in one query (minbar.newsroom.queries.read_also).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from minbar.core import page_cache
from minbar.newsroom import queries
from minbar.newsroom.models import ArticleAuthor, ArticlePage

from . import ranking
from .models import RelatedArticle, RelatedSource

logger = logging.getLogger("minbar.related")

# Articles computed between two writes: large enough that teasers, authors and
# series are read a few hundred at a time, small enough that an import of ten
# thousand articles shows progress and holds no long transaction.
BATCH_SIZE = 200


@dataclass(frozen=True)
class Candidate:
    related_id: int
    score: float
    source: str


def list_size():
    return settings.MINBAR_READ_ALSO_COUNT


def refresh(article_ids, *, neighbours=True, progress=None):
    """Compute and store the lists of `article_ids`; return how many lists were stored.

    With `neighbours`, the lists of the articles that entered these lists
    are computed again afterwards (once, not in turn theirs), so that a newly
    published article also appears in the lists of the older articles it is
    related to. `progress(done, total)` is called after each batch.
    """
    article_ids = list(dict.fromkeys(int(pk) for pk in article_ids))
    _index_if_missing(article_ids)
    stored, listed = _refresh_in_batches(article_ids, progress)
    if neighbours:
        stored += _refresh_in_batches(sorted(listed - set(article_ids)))[0]
    return stored


def _index_if_missing(article_ids):
    """Index the articles the search index does not hold yet.

    The search app indexes each published article in a task of its own,
    queued on the same signals as ours and handed out first (ours has a lower
    priority); with several workers ours may still start first, and an
    article missing from the index would get only the fallback list. An
    entry that exists is trusted: re-analysing every article of an import
    here would double the work the search task has just done.
    """
    from minbar.search.index import index_articles
    from minbar.search.models import SearchEntry

    missing = []
    for start in range(0, len(article_ids), BATCH_SIZE):
        batch = article_ids[start : start + BATCH_SIZE]
        indexed = set(SearchEntry.objects.filter(pk__in=batch).values_list("pk", flat=True))
        missing += [pk for pk in batch if pk not in indexed]
    if missing:
        index_articles(missing)


def _refresh_in_batches(article_ids, progress=None):
    """Store the lists of `article_ids`; return how many, and the ids they hold."""
    stored, listed = 0, set()
    for start in range(0, len(article_ids), BATCH_SIZE):
        batch = article_ids[start : start + BATCH_SIZE]
        lists = _compute_lists(batch)
        _store(lists)
        stored += len(lists)
        listed.update(candidate.related_id for items in lists.values() for candidate in items)
        if progress:
            progress(min(start + BATCH_SIZE, len(article_ids)), len(article_ids))
    return stored, listed


def refresh_all(progress=None):
    """Compute every live article's list (for benchmarks and repairs)."""
    ids = list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))
    return refresh(ids, neighbours=False, progress=progress)


def lists_pointing_to(article_ids):
    """The articles whose stored list holds one of `article_ids`."""
    return sorted(
        set(RelatedArticle.objects.filter(related_id__in=list(article_ids)).values_list("article_id", flat=True))
        - set(article_ids)
    )


def _compute_lists(batch):
    """{article id: [Candidate, …] best first} for the live articles of `batch`."""
    weights = ranking.weights()  # first: a misconfigured weight fails before any text work
    articles = list(ArticlePage.objects.live().filter(pk__in=batch).only("pk", "path", "depth", "series_id"))
    series_parts = _series_parts({article.series_id for article in articles if article.series_id})
    other_parts = {article.pk: series_parts.get(article.series_id, set()) - {article.pk} for article in articles}
    pools = {article.pk: _text_related(article, other_parts[article.pk]) for article in articles}
    # Sections, tags and authors of the batch and of every candidate in its
    # pools, read together: a few queries per batch, not per article.
    filings = ranking.filings({*pools, *(candidate_id for pool in pools.values() for candidate_id, _ in pool)})
    lists = {}
    for article in articles:
        items = [
            Candidate(candidate_id, score, RelatedSource.TEXT)
            for candidate_id, score in ranking.rerank(article.pk, pools[article.pk], filings, weights)[: list_size()]
        ]
        if len(items) < list_size():
            taken = {article.pk, *other_parts[article.pk], *(item.related_id for item in items)}
            authors = filings[article.pk].author_ids if article.pk in filings else ()
            items += _fallback(article, authors, taken, list_size() - len(items))
        lists[article.pk] = items
    return lists


def _text_related(article, other_parts):
    """The pool of text-related candidates, [(article id, engine score)] best first."""
    from minbar.search.services import similar_articles

    try:
        found = similar_articles(article.pk, limit=ranking.pool_size(list_size()), exclude_ids=sorted(other_parts))
    except Exception:
        # One article the index cannot handle must not stop a batch of
        # thousands; it still gets the fallback list.
        logger.exception("similar_articles failed for article %s; using the fallback list", article.pk)
        return []
    return [
        (int(related_id), float(score))
        for related_id, score in found
        if related_id != article.pk and related_id not in other_parts
    ]


def fallback_articles(article, author_ids):
    """Live articles by the same author, then from the same section, newest first.

    Never the article itself nor another part of its series. Each carries
    `closeness`: 0 when it shares an author, 1 when only the section.
    """
    shares_an_author = Exists(ArticleAuthor.objects.filter(article=OuterRef("pk"), author_id__in=list(author_ids)))
    same_section = Q(path__startswith=article.path[: -article.steplen])
    closeness = Case(When(shares_an_author, then=Value(0)), default=Value(1), output_field=IntegerField())
    articles = queries.published_articles().filter(shares_an_author | same_section).exclude(pk=article.pk)
    if article.series_id:
        articles = articles.exclude(series_id=article.series_id)
    return articles.annotate(closeness=closeness).order_by("closeness", "-first_published_at", "-pk")


def _fallback(article, author_ids, taken, count):
    rows = fallback_articles(article, author_ids).exclude(pk__in=taken).values_list("pk", "closeness")[:count]
    return [
        Candidate(pk, 0.0, RelatedSource.AUTHOR if closeness == 0 else RelatedSource.SECTION) for pk, closeness in rows
    ]


def _series_parts(series_ids):
    parts = {}
    if series_ids:
        for pk, series_id in ArticlePage.objects.filter(series_id__in=series_ids).values_list("pk", "series_id"):
            parts.setdefault(series_id, set()).add(pk)
    return parts


def _teasers(article_ids):
    """{article id: teaser}, as the article page shows it under each item."""
    articles = queries.with_byline(ArticlePage.objects.filter(pk__in=article_ids).only("pk", "summary", "body"))
    return {article.pk: queries.teaser(article) for article in articles}


def _store(lists):
    """Replace the stored lists of `lists`' articles and bring their teasers up to date everywhere."""
    listed = {candidate.related_id for items in lists.values() for candidate in items}
    teasers = _teasers(listed | set(lists))
    rows = [
        RelatedArticle(
            article_id=article_id,
            related_id=candidate.related_id,
            rank=rank,
            score=candidate.score,
            source=candidate.source,
            teaser=teasers.get(candidate.related_id, ""),
        )
        for article_id, items in lists.items()
        for rank, candidate in enumerate(items, start=1)
    ]
    shown = {}
    for row in rows:
        shown.setdefault(row.article_id, []).append((row.related_id, row.teaser))
    with transaction.atomic():
        before = {}
        for article_id, related_id, teaser in (
            RelatedArticle.objects.filter(article_id__in=list(lists)).order_by("article_id", "rank").values_list("article_id", "related_id", "teaser")
        ):
            before.setdefault(article_id, []).append((related_id, teaser))
        changed = {pk for pk in lists if before.get(pk, []) != shown.get(pk, [])}
        RelatedArticle.objects.filter(article_id__in=list(lists)).delete()
        RelatedArticle.objects.bulk_create(rows)
        # An article published again may have a new summary or new authors:
        # the lists of other articles that show it must show its new teaser.
        rewritten = _rewrite_teasers({pk: teasers[pk] for pk in lists if pk in teasers})
        # The cached pages of exactly these articles show a list that changed.
        page_cache.bump(*(page_cache.read_also_key(pk) for pk in changed | rewritten))


def refresh_teasers(article_ids):
    """Rewrite the stored teasers of these articles wherever a list shows them (an author renamed)."""
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), BATCH_SIZE):
        with transaction.atomic():
            rewritten = _rewrite_teasers(_teasers(article_ids[start : start + BATCH_SIZE]))
            page_cache.bump(*(page_cache.read_also_key(pk) for pk in rewritten))


def _rewrite_teasers(teasers):
    """Store `teasers` ({related article id: teaser}) on the rows showing those articles, where they differ.

    Return the ids of the articles whose lists changed.
    """
    stale = [
        row
        for row in RelatedArticle.objects.filter(related_id__in=list(teasers)).only("pk", "article_id", "related_id", "teaser")
        if row.teaser != teasers[row.related_id]
    ]
    for row in stale:
        row.teaser = teasers[row.related_id]
    RelatedArticle.objects.bulk_update(stale, ["teaser"], batch_size=BATCH_SIZE)
    return {row.article_id for row in stale}
