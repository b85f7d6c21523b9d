"""`minbar import-jsonl FILE`: bulk-load articles from JSON Lines (safe to run again).

Exit status: 0 when every line was imported (or was there already,
unchanged); 1 when some lines were skipped, everything else being imported
and the skipped lines listed by number; 2 when nothing could be done (no
such file, no home page).
"""

import argparse
import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minbar.core.progress import ProgressBar
from minbar.imports import jsonl, messages, services
from minbar.imports.mapping import HomePageMissing
from minbar.imports.models import ImportRecord
from minbar.newsroom.models import ContentLanguage

# Skipped lines listed in the report; the rest are counted.
SHOWN_PROBLEMS = 50
EXIT_SKIPPED_LINES = 1
EXIT_NOTHING_DONE = 2


def source_name(value):
    limit = ImportRecord._meta.get_field("source").max_length
    if not value.strip() or len(value) > limit:
        raise argparse.ArgumentTypeError(messages.BAD_SOURCE_NAME % {"limit": limit})
    return value.strip()


class Command(BaseCommand):
    help = "Import articles from a JSON Lines file; lines already imported are updated or left alone."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .jsonl file, one article per line")
        parser.add_argument(
            "--language",
            choices=ContentLanguage.values,
            default=ContentLanguage.ARABIC.value,
            help="language of lines that do not say (default: ar)",
        )
        parser.add_argument("--section", default="", help="section of lines that name none")
        parser.add_argument("--default-author", default="", help="author of lines that name none (default: no byline)")
        parser.add_argument(
            "--source",
            type=source_name,
            default="jsonl",
            help="name of the key space for the lines' ids (default: jsonl); use one per unrelated source",
        )
        parser.add_argument("--limit", type=int, default=None, help="read only the first N non-empty lines")
        parser.add_argument("--dry-run", action="store_true", help="read and report, save nothing")
        parser.add_argument("--progress", action="store_true", help="draw the progress bar even when not on a terminal")

    def handle(self, *args, **options):
        # Wagtail logs each section it creates and publishes; noise between the progress bar and the report.
        wagtail_logger = logging.getLogger("wagtail")
        level = wagtail_logger.level
        if options["verbosity"] < 2:
            wagtail_logger.setLevel(logging.WARNING)
        try:
            self.run(options)
        finally:
            wagtail_logger.setLevel(level)

    def run(self, options):
        path = options["file"]
        defaults = jsonl.Defaults(
            language=options["language"],
            section=options["section"].strip(),
            author=options["default_author"].strip(),
        )
        progress = ProgressBar(label=str(messages.PROGRESS_LABEL), stream=self.stderr)
        if options["progress"]:
            progress.enabled = True
        try:
            if progress.enabled:
                progress.total = services.count_entries(path, options["limit"])
            result = services.import_jsonl(
                path,
                source=options["source"],
                defaults=defaults,
                dry_run=options["dry_run"],
                limit=options["limit"],
                progress=progress,
            )
        except OSError as error:
            raise CommandError(
                messages.CANNOT_READ % {"path": path, "error": error.strerror or error}, returncode=EXIT_NOTHING_DONE
            ) from None
        except HomePageMissing:
            raise CommandError(messages.NO_HOME_PAGE, returncode=EXIT_NOTHING_DONE) from None
        self.report(result)
        if not result.is_complete:
            raise CommandError(messages.SOME_LINES_SKIPPED % {"count": result.skipped}, returncode=EXIT_SKIPPED_LINES)

    def report(self, result):
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "skipped": result.skipped,
        }
        summary = (messages.DRY_RUN_SUMMARY if result.dry_run else messages.SUMMARY) % counts
        self.stdout.write(summary, self.style.SUCCESS if result.is_complete else self.style.WARNING)
        self.stdout.write(
            messages.NEW_SECTIONS_AND_AUTHORS % {"sections": result.sections_created, "authors": result.authors_created}
        )
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.stdout.write(messages.SKIPPED_LINE % {"line": problem.line, "reason": problem.reason})
        hidden = result.skipped - SHOWN_PROBLEMS
        if hidden > 0:
            self.stdout.write(messages.MORE_SKIPPED % {"count": hidden})
