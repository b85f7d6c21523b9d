"""Which articles a search may return, as SQL both engines share.

A result must be a live, public article passing the reader's filters. The
engines check that on the page row of each match (joined by primary key)
rather than through a subquery of candidate ids: SQLite would otherwise
build the whole candidate list for every search, which costs more than the
search itself on a large archive.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from wagtail.models import Page, PageViewRestriction


@dataclass(frozen=True)
class Filters:
    """What narrows a search; every value optional."""

    section_path: str = ""
    author_id: int | None = None
    kind: str = ""
    language: str = ""
    published_from: object = None  # an aware datetime, included
    published_before: object = None  # an aware datetime, excluded


def _column(model, field):
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def page_conditions(filters, page="page"):
    """SQL conditions on the `page` alias (wagtailcore_page) for `filters`, with their parameters."""
    ArticlePage = apps.get_model("newsroom", "ArticlePage")
    ArticleAuthor = apps.get_model("newsroom", "ArticleAuthor")
    path, live = f"{page}.{_column(Page, 'path')}", f"{page}.{_column(Page, 'live')}"
    conditions, params = [live], []
    # Wagtail's `public()`: nothing at or under a page with a view restriction.
    # The restricted paths are read first (a site has few, usually none): as a
    # subquery, PostgreSQL's planner scanned every page once per match.
    for restricted in PageViewRestriction.objects.values_list("page__path", flat=True).distinct():
        conditions.append(f"substr({path}, 1, %s) <> %s")
        params += [len(restricted), restricted]
    if filters.section_path:
        conditions.append(f"substr({path}, 1, %s) = %s")
        params += [len(filters.section_path), filters.section_path]
    for name in ("kind", "language"):
        value = getattr(filters, name)
        if value:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {_table(ArticlePage)} AS article "
                f"WHERE article.{_column(ArticlePage, 'page_ptr')} = {page}.{_column(Page, 'id')} "
                f"AND article.{_column(ArticlePage, name)} = %s)"
            )
            params.append(value)
    if filters.author_id is not None:
        conditions.append(
            f"EXISTS (SELECT 1 FROM {_table(ArticleAuthor)} AS byline "
            f"WHERE byline.{_column(ArticleAuthor, 'article')} = {page}.{_column(Page, 'id')} "
            f"AND byline.{_column(ArticleAuthor, 'author')} = %s)"
        )
        params.append(filters.author_id)
    published = f"{page}.{_column(Page, 'first_published_at')}"
    if filters.published_from is not None:
        conditions.append(f"{published} >= %s")
        params.append(connection.ops.adapt_datetimefield_value(filters.published_from))
    if filters.published_before is not None:
        conditions.append(f"{published} < %s")
        params.append(connection.ops.adapt_datetimefield_value(filters.published_before))
    return " AND ".join(conditions), params
