"""SQLite FTS5: the embedded engine.

`search_fts` is an external-content FTS5 table over the entries' four columns
(created, with the triggers that keep it in step, by migration 0001). Its
tokenizer is `ascii`: terms arrive analysed and separated by spaces, so FTS5
must only split on spaces, never fold or cut a word again.

MATCH expressions are built only from analysed terms, each one quoted, so
nothing a reader types is ever read as FTS5 syntax (AND, NEAR, *, ^, :, …).
"""

from django.db import connection
from wagtail.models import Page

from . import Engine
from .filters import page_conditions

# bm25 weights, in the table's column order: title forms, title stems, body
# forms, body stems. A word in the title outweighs the same word in the
# body, and the exact form typed adds to its stem's score.
SEARCH_WEIGHTS = (8.0, 4.0, 2.0, 1.0)
# For "more like this" the terms are stems, so only the stem columns count.
SIMILAR_WEIGHTS = (0.0, 3.0, 0.0, 1.0)
STEM_COLUMNS = "{title_stems body_stems}"
FORM_COLUMNS = "{title_forms body_forms}"


def quoted(words):
    """An FTS5 string (one word, or a phrase of consecutive words): quotes doubled."""
    return '"' + " ".join(word.replace('"', '""') for word in words) + '"'


def match_expression(query):
    """The MATCH string for a parsed query: every clause required, exclusions left out."""
    required = [
        f"({STEM_COLUMNS} : {quoted(clause.stems)} OR {FORM_COLUMNS} : {quoted(clause.forms)})"
        for clause in query.required
    ]
    expression = " AND ".join(required)
    for clause in query.excluded:
        expression = f"({expression}) NOT ({STEM_COLUMNS} : {quoted(clause.stems)})"
    return expression


def _bm25(weights):
    return "bm25(search_fts, {})".format(", ".join(str(weight) for weight in weights))


class SqliteEngine(Engine):
    vendor = "sqlite"

    def search(self, query, filters, limit, offset):
        conditions, condition_params = page_conditions(filters)
        page = connection.ops.quote_name(Page._meta.db_table)
        # bm25() cannot sit beside a window function: rank in a subquery, count outside.
        sql = f"""
            SELECT article_id, score, count(*) OVER () AS total FROM (
                SELECT search_fts.rowid AS article_id, round({_bm25(SEARCH_WEIGHTS)}, 6) AS score,
                       page.first_published_at AS published
                FROM search_fts JOIN {page} AS page ON page.id = search_fts.rowid
                WHERE search_fts MATCH %s AND {conditions}
            )
            ORDER BY score, published DESC, article_id DESC
            LIMIT %s OFFSET %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(query), *condition_params, limit, offset])
            rows = cursor.fetchall()
        total = rows[0][2] if rows else 0
        return total, [(article_id, -score) for article_id, score, _ in rows]

    def more_like(self, article_id, terms, limit, exclude_ids=(), retrieve_with=None):
        # FTS5 scores exactly what its MATCH found, so all terms find candidates.
        if not terms:
            return []
        excluded = [article_id, *exclude_ids]
        placeholders = ", ".join(["%s"] * len(excluded))
        expression = f"{STEM_COLUMNS} : ({' OR '.join(quoted([term]) for term in terms)})"
        page = connection.ops.quote_name(Page._meta.db_table)
        sql = f"""
            SELECT search_fts.rowid, {_bm25(SIMILAR_WEIGHTS)} AS score
            FROM search_fts JOIN {page} AS page ON page.id = search_fts.rowid
            WHERE search_fts MATCH %s AND page.live AND search_fts.rowid NOT IN ({placeholders})
            ORDER BY score, search_fts.rowid DESC
            LIMIT %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *excluded, limit])
            return [(found_id, -score) for found_id, score in cursor.fetchall()]

    def after_rebuild(self):
        super().after_rebuild()
        # Merge the index's segments into one: queries read fewer b-trees.
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
