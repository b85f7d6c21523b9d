"""Re-rank text-related candidates by what editors filed them under.

The search index finds a pool of candidates related to an article by their
words (`minbar.search.services.similar_articles`). Like WordPress's related
posts plugins (YARPP weighs titles, bodies, categories and tags), a newsroom
expects the articles it files together to go together: each candidate's text
score, divided by the best of its pool (so 1.0 for the closest text, whatever
the engine's scale), is raised by

* `section`: once, when the candidate is in the article's section;
* `tag`: for each tag the two share, counting at most
  MINBAR_READ_ALSO_TAGS_COUNTED of them (a long list of shared generic tags
  must not outweigh the text);
* `author`: once, when they share an author,

the weights read from MINBAR_READ_ALSO_WEIGHTS (a missing key weighs 0).
Re-ranking only reorders the pool: an article the text did not relate is
never pulled in here. With every weight 0 the order is the text's own.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from minbar.newsroom.models import ArticleAuthor, ArticlePage, ArticleTag

# Ids per IN (…) when reading a batch's sections, tags and authors: below
# SQLite's historical limit of 999 parameters.
IDS_PER_QUERY = 900

WEIGHT_NAMES = ("section", "tag", "author")


@dataclass(frozen=True)
class Filing:
    """Where an article is filed: its section's page path, its tag and author ids."""

    section_path: str
    tag_ids: frozenset = frozenset()
    author_ids: frozenset = frozenset()


def weights():
    """The boosts from MINBAR_READ_ALSO_WEIGHTS, every name present (0.0 when left out)."""
    configured = settings.MINBAR_READ_ALSO_WEIGHTS
    unknown = set(configured) - set(WEIGHT_NAMES)
    if unknown:
        raise ImproperlyConfigured(
            f"MINBAR_READ_ALSO_WEIGHTS has unknown key(s) {sorted(unknown)}: use {', '.join(WEIGHT_NAMES)}"
        )
    return {name: float(configured.get(name, 0.0)) for name in WEIGHT_NAMES}


def pool_size(list_size):
    """How many text-related candidates to ask for, to re-rank down to `list_size`."""
    return max(list_size, list_size * settings.MINBAR_READ_ALSO_POOL_FACTOR)


def _chunks(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield ids[start : start + IDS_PER_QUERY]


def filings(article_ids):
    """{article id: Filing} for these articles, in three queries per 900 ids, whatever their number."""
    sections, tags, authors = {}, {}, {}
    steplen = ArticlePage.steplen
    for chunk in _chunks(set(article_ids)):
        # The section is the parent page: its path is the article's path
        # without the last step, so no join is needed.
        for pk, path in ArticlePage.objects.filter(pk__in=chunk).values_list("pk", "path"):
            sections[pk] = path[:-steplen]
        for article_id, tag_id in ArticleTag.objects.filter(content_object_id__in=chunk).values_list(
            "content_object_id", "tag_id"
        ):
            tags.setdefault(article_id, set()).add(tag_id)
        for article_id, author_id in ArticleAuthor.objects.filter(article_id__in=chunk).values_list(
            "article_id", "author_id"
        ):
            authors.setdefault(article_id, set()).add(author_id)
    return {
        pk: Filing(section, frozenset(tags.get(pk, ())), frozenset(authors.get(pk, ())))
        for pk, section in sections.items()
    }


def boost(article, candidate, weights):
    """What the candidate's filing adds to its text score, for `article` (both Filings)."""
    shared_tags = min(len(article.tag_ids & candidate.tag_ids), settings.MINBAR_READ_ALSO_TAGS_COUNTED)
    return (
        weights["section"] * (article.section_path == candidate.section_path)
        + weights["tag"] * shared_tags
        + weights["author"] * bool(article.author_ids & candidate.author_ids)
    )


def rerank(article_id, pool, filings_by_id, weights):
    """The pool's candidates best first, as (candidate id, combined score).

    `pool`: [(candidate id, text score)] as the engine ranked it (higher is
    closer). The combined score is the text score divided by the pool's best,
    plus the boosts; equal scores keep the engine's order.
    """
    if not pool:
        return []
    best = max(score for _, score in pool)
    article = filings_by_id.get(article_id)
    scored = []
    for position, (candidate_id, score) in enumerate(pool):
        combined = score / best if best > 0 else 0.0
        candidate = filings_by_id.get(candidate_id)
        if article is not None and candidate is not None:
            combined += boost(article, candidate, weights)
        scored.append((-combined, position, candidate_id))
    scored.sort()
    return [(candidate_id, -negated) for negated, _, candidate_id in scored]
