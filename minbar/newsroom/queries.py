"""Reading the newsroom for readers' pages, in a fixed number of queries.

Every list prefetches bylines, so a page costs the same whatever its number
of articles, authors or tags (tests/newsroom/test_query_counts.py holds us to it).
"""

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Window
from django.db.models.functions import Length, RowNumber, Substr
from wagtail.models import Page

from minbar.arabic import excerpt
from minbar.core import page_cache
from minbar.core.text import plain_text


def _model(name):
    return apps.get_model("newsroom", name)


# Articles in each section's block on the front page.
SECTION_BLOCK_SIZE = 4


def published_articles():
    """Live, public articles, newest first."""
    return (
        _model("ArticlePage")
        .objects.live()
        .public()
        .select_related("cover_image", "series")
        .order_by("-first_published_at", "-pk")
    )


def with_byline(articles):
    """Prefetch each article's authors in order (one query for the whole list)."""
    ArticleAuthor = _model("ArticleAuthor")
    return articles.prefetch_related(
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
        )
    )


def attach_sections(articles):
    """Set `article.section` on each article with one query for all sections."""
    articles = list(articles)
    if not articles:
        return articles
    # Only the sections shown: a page depends on what it loads (page cache).
    parent_paths = {article.path[: -article.steplen] for article in articles}
    sections = {section.path: section for section in _model("SectionPage").objects.live().filter(path__in=parent_paths)}
    for article in articles:
        parent_path = article.path[: -article.steplen]
        article.section = sections.get(parent_path)
    return articles


def front_page():
    """The latest articles and, for each section, its newest few not already shown."""
    latest = attach_sections(with_byline(published_articles())[: settings.MINBAR_ARTICLES_PER_PAGE])
    # Every article sits directly under its section, so the first
    # (depth - 1) path steps name the section; rank articles within each.
    section_path = Substr("path", 1, (F("depth") - 1) * Page.steplen)
    newest_per_section = (
        published_articles()
        .exclude(pk__in=[article.pk for article in latest])
        .annotate(
            rank=Window(RowNumber(), partition_by=[section_path], order_by=[F("first_published_at").desc(), F("pk").desc()])
        )
        .filter(rank__lte=SECTION_BLOCK_SIZE)
    )
    recent = attach_sections(with_byline(newest_per_section))
    # The sections holding those articles, in the editors' order (public, as
    # their articles are; only these are loaded, see attach_sections).
    sections = sorted({article.section.path: article.section for article in recent if article.section}.values(), key=lambda s: s.path)
    blocks = [
        {"section": section, "articles": [article for article in recent if article.section is section]}
        for section in sections
    ]
    return {"latest": latest, "section_blocks": blocks}


def teaser(article, words=None):
    """The read-also excerpt: the author's name, then the start of the text, ending with `…`."""
    words = words or settings.MINBAR_EXCERPT_WORDS
    text = article.summary or plain_text(article.body)
    names = "، ".join(author.name for author in article.authors)
    cut = excerpt(text, words)
    return f"{names} {cut}" if names else cut


def read_also(article, section_id):
    """The article's stored "read also" list (minbar.related), in one query.

    `section_id` is the article's section (for the fallback list).

    Each item is the related article with the fields the list shows and its
    stored `teaser`. Related articles since unpublished, expired or put behind
    a view restriction are left out by the same query (the lists that showed
    them are computed again in the background). An article whose list was
    never computed (the worker has not run yet) gets the fallback list, by
    the same author and then from the same section, computed now.
    """
    RelatedArticle = apps.get_model("related", "RelatedArticle")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    # Wagtail's `public()` as a subquery rather than a query of its own: a
    # restriction on the related page or on any of its ancestors hides it.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("related__path"), 1, Length("page__path"))
    )
    shown_fields = ("title", "slug", "url_path", "path", "depth", "language", "part_number")
    rows = (
        RelatedArticle.objects.filter(article_id=article.pk, related__live=True, related__expired=False)
        .exclude(Exists(restricted))
        .select_related("related")
        .only("teaser", *(f"related__{name}" for name in shown_fields))
        .order_by("rank")[: settings.MINBAR_READ_ALSO_COUNT]
    )
    page_cache.depends_on(page_cache.read_also_key(article.pk))
    chosen = []
    for row in rows:
        row.related.teaser = row.teaser
        chosen.append(row.related)
    return chosen or _read_also_until_computed(article, section_id)


def _read_also_until_computed(article, section_id):
    from minbar.related.services import fallback_articles

    author_ids = [author.pk for author in article.authors]
    # Until computed, the list is the authors' and the section's latest.
    page_cache.depends_on(
        page_cache.listing_key("section", section_id),
        *(page_cache.listing_key("author", pk) for pk in author_ids),
    )
    chosen = list(with_byline(fallback_articles(article, author_ids))[: settings.MINBAR_READ_ALSO_COUNT])
    for item in chosen:
        item.teaser = teaser(item)
    return chosen


def series_navigation(article):
    """Parts of the article's series: previous, next, and whether to say “to be continued”."""
    if not article.series_id:
        return {"series_parts": [], "previous_part": None, "next_part": None, "is_continued": False}
    ArticlePage = _model("ArticlePage")
    page_cache.depends_on(page_cache.listing_key("series", article.series_id))
    parts = list(
        ArticlePage.objects.filter(series_id=article.series_id)
        .exclude(part_number=None)
        .only("pk", "title", "slug", "url_path", "path", "depth", "live", "part_number", "language", "expired")
        .order_by("part_number", "pk")
    )
    live_parts = [part for part in parts if part.live and not part.expired]
    later = [part for part in parts if part.part_number > article.part_number]
    next_live = next((part for part in later if part.live and not part.expired), None)
    previous_live = [part for part in live_parts if part.part_number < article.part_number]
    has_pending_part = any(not part.live for part in later)
    is_continued = next_live is None and (has_pending_part or not article.series.is_complete)
    return {
        "series_parts": live_parts,
        "previous_part": previous_live[-1] if previous_live else None,
        "next_part": next_live,
        "is_continued": is_continued,
    }


def article_context(article):
    """Everything the article page shows besides the article's own fields."""
    # Its comments, votes, rating and passage answers (an article with none yet shows the empty forms).
    page_cache.depends_on(page_cache.discussion_key(article.pk))
    links = list(article.article_authors.select_related("author", "author__photo"))
    article.__dict__["authors"] = [link.author for link in links]
    parent = article.get_parent().specific
    context = {
        "section": parent,
        "article_tags": list(article.tags.all()),
        "read_also": read_also(article, parent.pk) if article.pk else [],
    }
    context.update(series_navigation(article))
    return context


def articles_by_author(author):
    return with_byline(published_articles().filter(article_authors__author=author).distinct())


def articles_in_series(series):
    return with_byline(published_articles().filter(series=series).order_by("part_number", "first_published_at"))


def articles_tagged(tag):
    return with_byline(published_articles().filter(tags=tag).distinct())
