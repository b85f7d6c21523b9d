"""PostgreSQL: a weighted tsvector with the `simple` configuration and a GIN index.

`search_searchentry.vector` is filled by a trigger (migration 0001):
setweight(to_tsvector('simple', title_forms), 'A') || title stems 'B' ||
body forms 'C' || body stems 'D'. `simple` only lowercases: the words arrive
analysed by minbar.arabic, and no PostgreSQL stemmer may change them.

tsquery strings are built only from analysed terms, each quoted, and always
sent as parameters.
"""

from django.db import connection
from wagtail.models import Page

from ..models import SearchEntry
from . import Engine
from .filters import page_conditions

# ts_rank_cd weights, in PostgreSQL's order {D, C, B, A}: body stems, body
# forms, title stems, title forms.
SEARCH_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
SIMILAR_WEIGHTS = "{0.1, 0.1, 0.3, 0.3}"


def lexeme(word):
    """A quoted tsquery lexeme: quotes doubled and backslashes escaped."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(words, labels):
    return " <-> ".join(f"{lexeme(word)}:{labels}" for word in words)


def match_tsquery(query):
    """Every clause's stems (title or body), and none of the excluded ones."""
    parts = [f"({_phrase(clause.stems, 'BD')})" for clause in query.required]
    parts += [f"!({_phrase(clause.stems, 'BD')})" for clause in query.excluded]
    return " & ".join(parts)


def bonus_tsquery(query):
    """Any clause's exact forms: ranks the spelling the reader typed first."""
    return " | ".join(f"({_phrase(clause.forms, 'AC')})" for clause in query.required)


class PostgresEngine(Engine):
    vendor = "postgresql"

    def search(self, query, filters, limit, offset):
        conditions, condition_params = page_conditions(filters)
        page = connection.ops.quote_name(Page._meta.db_table)
        entry = connection.ops.quote_name(SearchEntry._meta.db_table)
        sql = f"""
            SELECT entry.article_id,
                   round((ts_rank_cd(%s::float4[], entry.vector, to_tsquery('simple', %s))
                          + ts_rank_cd(%s::float4[], entry.vector, to_tsquery('simple', %s)))::numeric, 6) AS score,
                   count(*) OVER () AS total
            FROM {entry} AS entry JOIN {page} AS page ON page.id = entry.article_id
            WHERE entry.vector @@ to_tsquery('simple', %s) AND {conditions}
            ORDER BY score DESC, page.first_published_at DESC, entry.article_id DESC
            LIMIT %s OFFSET %s
        """
        match, bonus = match_tsquery(query), bonus_tsquery(query)
        params = [SEARCH_WEIGHTS, match, SEARCH_WEIGHTS, bonus, match, *condition_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = rows[0][2] if rows else 0
        return total, [(article_id, float(score)) for article_id, score, _ in rows]

    def more_like(self, article_id, terms, limit, exclude_ids=()):
        if not terms:
            return []
        page = connection.ops.quote_name(Page._meta.db_table)
        entry = connection.ops.quote_name(SearchEntry._meta.db_table)
        sql = f"""
            SELECT entry.article_id, ts_rank_cd(%s::float4[], entry.vector, to_tsquery('simple', %s)) AS score
            FROM {entry} AS entry JOIN {page} AS page ON page.id = entry.article_id
            WHERE entry.vector @@ to_tsquery('simple', %s) AND page.live AND NOT (entry.article_id = ANY(%s))
            ORDER BY score DESC, entry.article_id DESC
            LIMIT %s
        """
        any_term = " | ".join(f"{lexeme(term)}:BD" for term in terms)
        excluded = [article_id, *exclude_ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, [SIMILAR_WEIGHTS, any_term, any_term, excluded, limit])
            return [(found_id, float(score)) for found_id, score in cursor.fetchall()]
