"""Run an import: entries from a parser, in batches, into pages; then tell the rest of the site.

Each batch is one transaction, so an interrupted run keeps what it wrote and
the next run carries on (what is there already is unchanged and skipped).
Search and "read also" hear of the new and changed articles through one
`articles_imported` signal per few thousand, and readers' cached pages are
dropped once at the end, not once per article.
"""

from dataclasses import dataclass, field
from pathlib import Path

from minbar.core import page_cache
from minbar.newsroom.models import ArticlePage
from minbar.newsroom.signals import articles_imported

from . import jsonl, messages
from .items import Problem
from .mapping import PageWriter

# Items written per transaction: large enough to amortise the queries, small
# enough that SQLite is not held for long while the site is serving.
BATCH_SIZE = 500
# Page ids per articles_imported signal.
ANNOUNCE_SIZE = 2000


@dataclass
class ImportResult:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sections_created: int = 0
    authors_created: int = 0
    problems: list = field(default_factory=list)

    @property
    def skipped(self):
        return len(self.problems)

    @property
    def is_complete(self):
        """True when no line was skipped."""
        return not self.problems


class _Announcer:
    """Collect committed page ids and send articles_imported in chunks."""

    def __init__(self):
        self.pending = []

    def add(self, page_ids):
        self.pending += page_ids
        if len(self.pending) >= ANNOUNCE_SIZE:
            self.flush()

    def flush(self):
        while self.pending:
            chunk, self.pending = self.pending[:ANNOUNCE_SIZE], self.pending[ANNOUNCE_SIZE:]
            articles_imported.send(sender=ArticlePage, page_ids=chunk)


def import_entries(entries, source, dry_run=False, progress=None, batch_size=BATCH_SIZE):
    """Import parsed entries (ArticleItem or Problem, in source order) under the key space `source`."""
    writer = PageWriter(source, dry_run=dry_run)
    result = ImportResult(dry_run=dry_run)
    announcer = _Announcer()
    first_line_of_key = {}
    batch = []

    def write_batch():
        outcome = writer.write(batch)
        batch.clear()
        result.created += len(outcome.created)
        result.updated += len(outcome.updated)
        result.unchanged += outcome.unchanged
        result.problems += outcome.problems
        if not dry_run:
            announcer.add(outcome.created + outcome.updated)

    try:
        for entry in entries:
            if progress is not None:
                progress.advance()
            if isinstance(entry, Problem):
                result.problems.append(entry)
                continue
            if entry.key in first_line_of_key:
                result.problems.append(Problem(entry.line, messages.DUPLICATE, {"line": first_line_of_key[entry.key]}))
                continue
            first_line_of_key[entry.key] = entry.line
            batch.append(entry)
            if len(batch) >= batch_size:
                write_batch()
        if batch:
            write_batch()
    finally:
        # Whatever was committed is announced, even when a later batch failed.
        announcer.flush()
        result.sections_created = writer.sections_created
        result.authors_created = writer.authors_created
        if not dry_run and (result.created or result.updated or result.sections_created or result.authors_created):
            page_cache.bump_generation()
        if progress is not None:
            progress.finish()
    result.problems.sort(key=lambda problem: problem.line)
    return result


def count_entries(path: Path, limit=None):
    """How many non-empty lines `path` has (up to `limit`): the progress bar's total."""
    count = 0
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                count += 1
                if limit is not None and count >= limit:
                    break
    return count


def import_jsonl(path: Path, source="jsonl", defaults=jsonl.Defaults(), dry_run=False, limit=None, progress=None):
    """Import the articles of a JSON Lines file (see jsonl.py for its fields)."""
    with open(path, "rb") as handle:
        entries = jsonl.read_entries(handle, defaults, limit=limit)
        return import_entries(entries, source, dry_run=dry_run, progress=progress)
