"""The two search engines behind one interface, chosen by the database in use.

Both engines read the same `SearchEntry` rows (title and body, each as forms
and stems) and answer the same three questions; their SQL stays in their own
module:

* `search(query, candidates, limit, offset)`: the articles matching a parsed
  query (`minbar.search.query.ParsedQuery`) among `candidates` (an ORM
  queryset of article ids that applies the filters), best first, as
  `(total, [(article_id, score)])`. Every required word must match by its
  stem, in the title or the body; an article holding the exact form typed
  ranks higher; title above body; newer first on equal scores.
* `document_frequencies(terms)`: `(number of entries, {term: entries holding it})`.
* `more_like(article_id, terms, limit, exclude_ids)`: the live articles
  sharing most of `terms` (stems), best first, as `[(article_id, score)]`.

Scores are each engine's own (BM25 on SQLite, ts_rank_cd on PostgreSQL):
higher is better, comparable only within one answer.

They also hear about writes: `entries_changed(old, new)` with each changed
article's stems before and after, and `after_rebuild()`.
"""

from django.db import connection


def engine():
    """The engine for the database in use."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresEngine

        return PostgresEngine()
    if connection.vendor == "sqlite":
        from .sqlite import SqliteEngine

        return SqliteEngine()
    raise RuntimeError(f"minbar.search supports SQLite and PostgreSQL, not {connection.vendor}")
