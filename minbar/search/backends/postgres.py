"""PostgreSQL: a weighted tsvector with the `simple` configuration and a GIN index.

`search_searchentry.vector` is filled by a trigger (migration 0001):
setweight(to_tsvector('simple', title_forms), 'A') || title stems 'B' ||
body forms 'C' || body stems 'D'. `simple` only lowercases: the words arrive
analysed by minbar.arabic, and no PostgreSQL stemmer may change them.

tsquery strings are built only from analysed terms, each quoted, and always
sent as parameters. Document frequencies for "more like this" live in
`TermStatistic`, kept up to date as entries change.
"""

from collections import Counter

from django.db import connection, transaction
from wagtail.models import Page

from ..models import SearchEntry, TermStatistic

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


class PostgresEngine:
    vendor = "postgresql"

    def search(self, query, candidates, limit, offset):
        candidate_sql, candidate_params = candidates.query.sql_with_params()
        page = connection.ops.quote_name(Page._meta.db_table)
        entry = connection.ops.quote_name(SearchEntry._meta.db_table)
        sql = f"""
            SELECT entry.article_id,
                   round((ts_rank_cd(%s::float4[], entry.vector, to_tsquery('simple', %s))
                          + ts_rank_cd(%s::float4[], entry.vector, to_tsquery('simple', %s)))::numeric, 6) AS score,
                   count(*) OVER () AS total
            FROM {entry} AS entry JOIN {page} AS page ON page.id = entry.article_id
            WHERE entry.vector @@ to_tsquery('simple', %s) AND entry.article_id IN ({candidate_sql})
            ORDER BY score DESC, page.first_published_at DESC, entry.article_id DESC
            LIMIT %s OFFSET %s
        """
        match, bonus = match_tsquery(query), bonus_tsquery(query)
        params = [SEARCH_WEIGHTS, match, SEARCH_WEIGHTS, bonus, match, *candidate_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = rows[0][2] if rows else 0
        return total, [(article_id, float(score)) for article_id, score, _ in rows]

    def document_frequencies(self, terms):
        frequencies = dict(TermStatistic.objects.filter(term__in=list(terms)).values_list("term", "documents"))
        return SearchEntry.objects.count(), frequencies

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

    def entries_changed(self, old_stems, new_stems):
        """Move each stem's document count by the entries that gained or lost it."""
        delta = Counter()
        for stems in old_stems.values():
            delta.subtract(stems)
        for stems in new_stems.values():
            delta.update(stems)
        # Sorted, so that two writers lock the rows in the same order.
        terms = sorted(term for term, change in delta.items() if change)
        if not terms:
            return
        table = connection.ops.quote_name(TermStatistic._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (term, documents)
                SELECT * FROM unnest(%s::text[], %s::integer[])
                ON CONFLICT (term) DO UPDATE SET documents = {table}.documents + EXCLUDED.documents
                """,
                [terms, [delta[term] for term in terms]],
            )
            cursor.execute(f"DELETE FROM {table} WHERE term = ANY(%s) AND documents <= 0", [terms])

    @transaction.atomic
    def after_rebuild(self):
        """Count every stem afresh, so that no drift outlives a rebuild."""
        table = connection.ops.quote_name(TermStatistic._meta.db_table)
        entry = connection.ops.quote_name(SearchEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"""
                INSERT INTO {table} (term, documents)
                SELECT term, count(*) FROM (
                    SELECT DISTINCT entry.article_id, term
                    FROM {entry} AS entry,
                         unnest(string_to_array(entry.title_stems || ' ' || entry.body_stems, ' ')) AS term
                ) AS held
                WHERE term <> ''
                GROUP BY term
                """
            )
