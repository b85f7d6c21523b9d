"""Search the articles, and find articles like one another: the API other apps use.

* `search(query, *, section, author, kind, date_from, date_to, language, page, per_page)`
  → `SearchResults`;
* `similar_articles(article_id, *, limit, exclude_ids)` → `[(article_id, score)]`.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from minbar.core.text import plain_text
from minbar.newsroom import queries

from . import query as query_language
from .analysis import Analyzer
from .backends import engine
from .backends.filters import Filters
from .highlight import highlighted, snippet
from .models import SearchEntry

# "More like this": title stems count this many times over body stems, and
# this many of the article's most telling stems make the query.
SIMILAR_TITLE_BOOST = 3
SIMILAR_TERMS = 25
# The engines' shares of "too common" never fall below this many articles:
# on a small site a stem shared by a few articles is what relates them. A
# stem held by half of the articles relates none (ts_rank has no IDF of its own).
SIMILAR_FEW_ARTICLES = 50


def _at_least_a_few(documents, share):
    return max(documents * share, min(SIMILAR_FEW_ARTICLES, documents / 2))


@dataclass
class SearchResults:
    """One page of results.

    `articles`: ArticlePage instances in rank order, bylines prefetched, each
    with `section`, `highlighted_title` and `highlighted_snippet` (safe HTML,
    the writer's own text with matched words in <mark>). `error`: a
    translated message for the reader when the query cannot be searched
    (then there are no results). `terms`: the stems looked for.
    """

    query: str
    articles: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 0
    error: str | None = None
    terms: tuple = ()

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filters(section, author, kind, date_from, date_to, language):
    SectionPage = apps.get_model("newsroom", "SectionPage")
    if section is not None and not isinstance(section, SectionPage):
        section = SectionPage.objects.filter(pk=section).first() or SectionPage(path="-")  # unknown: nothing
    return Filters(
        section_path=section.path if section is not None else "",
        author_id=getattr(author, "pk", author),
        kind=kind or "",
        language=language or "",
        published_from=_day_start(date_from) if date_from else None,
        published_before=_day_start(date_to + datetime.timedelta(days=1)) if date_to else None,
    )


def _load(ids):
    """The articles with these ids, in this order, with bylines and sections."""
    ArticlePage = apps.get_model("newsroom", "ArticlePage")
    SectionPage = apps.get_model("newsroom", "SectionPage")
    found = queries.with_byline(ArticlePage.objects.filter(pk__in=ids).select_related("series")).in_bulk()
    articles = [found[pk] for pk in ids if pk in found]
    # Sections by their paths (an index lookup), not every live section: on
    # a large archive that scan cost more than the search.
    parent_paths = {article.path[: -article.steplen] for article in articles}
    sections = {section.path: section for section in SectionPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        article.section = sections.get(article.path[: -article.steplen])
    return articles


def search(
    query,
    *,
    section=None,
    author=None,
    kind=None,
    date_from=None,
    date_to=None,
    language=None,
    page=1,
    per_page=None,
):
    """Search live, public articles; see SearchResults. Filters narrow the articles searched."""
    per_page = per_page or settings.MINBAR_SEARCH_RESULTS_PER_PAGE
    analyzer = Analyzer()
    parsed = query_language.parse(query, analyzer)
    results = SearchResults(query=parsed.text, error=parsed.error)
    if parsed.error:
        return results
    results.terms = tuple(sorted(parsed.stems))
    filters = _filters(section, author, kind, date_from, date_to, language)
    search_engine = engine()
    page = max(1, int(page or 1))
    total, ranked = search_engine.search(parsed, filters, per_page, (page - 1) * per_page)
    if total == 0 and page > 1:
        # Past the last page (an old link, a typed number): show the last one.
        total, _ = search_engine.search(parsed, filters, 1, 0)
        page = max(1, math.ceil(total / per_page))
        total, ranked = search_engine.search(parsed, filters, per_page, (page - 1) * per_page)
    results.total, results.page = total, page
    results.num_pages = math.ceil(total / per_page)
    results.articles = _load([article_id for article_id, _ in ranked])
    for article in results.articles:
        article.highlighted_title = highlighted(article.title, parsed.stems, analyzer.variants)
        article.highlighted_snippet = snippet([article.summary, plain_text(article.body)], parsed.stems, analyzer)
    return results


def _telling_terms(entry, documents, frequencies, too_common):
    """The stems that say most about the entry: TF-IDF, title stems counted several times."""
    term_counts = Counter(entry.body_stems.split())
    for stem in entry.title_stems.split():
        term_counts[stem] += SIMILAR_TITLE_BOOST
    weights = {}
    for term, count_in_entry in term_counts.items():
        held_by = frequencies.get(term, 0)
        if held_by < 2 or held_by > too_common or len(term) < 2:
            continue  # only this article has it, or most do, or a lone letter: no help
        weights[term] = (1 + math.log(count_in_entry)) * math.log(documents / held_by)
    best = sorted(weights, key=lambda term: (-weights[term], term))[:SIMILAR_TERMS]
    return [term for term in best if weights[term] > 0]


def similar_articles(article_id, *, limit=4, exclude_ids=()):
    """Live articles most like this one by their words, best first, as (article_id, score).

    Never the article itself nor `exclude_ids`; [] when the article has no
    index entry. Scores are the engine's own: higher is closer.
    """
    entry = SearchEntry.objects.filter(pk=article_id).first()
    if entry is None:
        return []
    search_engine = engine()
    documents, frequencies = search_engine.document_frequencies(entry.stems)
    too_common = _at_least_a_few(documents, search_engine.similar_common_share)
    terms = _telling_terms(entry, documents, frequencies, too_common)
    rare_enough = _at_least_a_few(documents, search_engine.similar_retrieve_share)
    finding = [term for term in terms if frequencies[term] <= rare_enough] or terms
    return search_engine.more_like(article_id, terms, limit, [int(pk) for pk in exclude_ids], finding)
