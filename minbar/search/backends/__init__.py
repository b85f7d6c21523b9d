"""The two search engines behind one interface, chosen by the database in use.

Both engines read the same `SearchEntry` rows (title and body, each as forms
and stems) and answer the same questions; their SQL stays in this package:

* `search(query, filters, limit, offset)`: the live, public articles
  matching a parsed query (`minbar.search.query.ParsedQuery`) and passing
  `filters.Filters`, best first, as `(total, [(article_id, score)])`. Every required word must match by its
  stem, in the title or the body; an article holding the exact form typed
  ranks higher; title above body; newer first on equal scores.
* `more_like(article_id, terms, limit, exclude_ids, retrieve_with)`: the live
  articles sharing most of `terms` (stems), best first, as
  `[(article_id, score)]`; candidates hold one of `retrieve_with` (a subset
  of `terms`, all of them by default) where the engine can tell the two apart.
* `document_frequencies(terms)`: `(number of entries, {term: entries holding it})`,
  read from `TermStatistic` (both engines: counting a term's documents in
  FTS5's own vocabulary reads its whole posting list, far too slow for
  "more like this").

Scores are each engine's own (BM25 on SQLite, ts_rank_cd on PostgreSQL):
higher is better, comparable only within one answer.

Writers tell the engine `entries_changed(old, new)` (each changed article's
stems before and after, to keep the statistics) and `after_rebuild()`.
"""

from collections import Counter

from django.db import connection, transaction

from ..models import SearchEntry, TermStatistic

# Rows per INSERT when writing term statistics.
STATISTICS_BATCH = 500
# The statistics' row counting the entries themselves (every entry "holds"
# it; no stem is empty). Counting the entries' table instead reads all of it.
ALL_ENTRIES = ""


def engine():
    """The engine for the database in use."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresEngine

        return PostgresEngine()
    if connection.vendor == "sqlite":
        from .sqlite import SqliteEngine

        return SqliteEngine()
    raise RuntimeError(f"minbar.search supports SQLite and PostgreSQL, not {connection.vendor}")


class Engine:
    """What both engines share: the term statistics (plain SQL both databases speak)."""

    # "More like this" leaves out stems held by more than this share of all
    # articles: they say little about any one article, and every article
    # holding one is a candidate the engine must score.
    similar_common_share = 0.1
    # Engines that can score candidates by more terms than found them look
    # for candidates only with the stems rarer than this share.
    similar_retrieve_share = 1.0

    def document_frequencies(self, terms):
        frequencies = {}
        terms = [ALL_ENTRIES, *terms]
        for start in range(0, len(terms), STATISTICS_BATCH):
            chunk = terms[start : start + STATISTICS_BATCH]
            frequencies.update(TermStatistic.objects.filter(term__in=chunk).values_list("term", "documents"))
        return frequencies.pop(ALL_ENTRIES, 0), frequencies

    def entries_changed(self, old_stems, new_stems):
        """Move each stem's document count by the entries that gained or lost it."""
        delta = Counter()
        for stems in old_stems.values():
            delta.subtract({ALL_ENTRIES, *stems})
        for stems in new_stems.values():
            delta.update({ALL_ENTRIES, *stems})
        # Sorted, so that two writers take the rows' locks in the same order.
        changes = sorted((term, change) for term, change in delta.items() if change)
        if not changes:
            return
        table = connection.ops.quote_name(TermStatistic._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(changes), STATISTICS_BATCH):
                chunk = changes[start : start + STATISTICS_BATCH]
                rows = ", ".join(["(%s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} (term, documents) VALUES {rows} "
                    f"ON CONFLICT (term) DO UPDATE SET documents = {table}.documents + excluded.documents",
                    [value for pair in chunk for value in pair],
                )
            dropped = [term for term, change in changes if change < 0]
            for start in range(0, len(dropped), STATISTICS_BATCH):
                TermStatistic.objects.filter(term__in=dropped[start : start + STATISTICS_BATCH], documents__lte=0).delete()

    @transaction.atomic
    def recount(self):
        """Count every stem's documents afresh from the entries, so that no drift outlives a rebuild."""
        counts = Counter()
        for title_stems, body_stems in SearchEntry.objects.values_list("title_stems", "body_stems").iterator(2000):
            counts.update({ALL_ENTRIES, *title_stems.split(), *body_stems.split()})
        TermStatistic.objects.all().delete()
        TermStatistic.objects.bulk_create(
            (TermStatistic(term=term, documents=documents) for term, documents in counts.items()),
            batch_size=STATISTICS_BATCH,
        )

    def after_rebuild(self):
        self.recount()
