"""`minbar import-wordpress EXPORT.xml [--media DIR] [--dry-run]`: move a WordPress site into Minbar (safe to run again).

Exit status: 0 when the import ran (warnings, if any, are listed with the
WordPress IDs concerned); 2 when nothing was done: the file cannot be read,
is not a WordPress export, is malformed or of an unknown WXR version (its line,
column and the reason are printed), the media folder is missing, or the site
has no home page.
"""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy

from minbar.core.progress import ProgressBar
from minbar.imports.mapping import HomePageMissing
from minbar.wordpress import importer
from minbar.wordpress.records import WXRError

EXIT_NOTHING_DONE = 2

PROGRESS_LABEL = gettext_lazy("Importing from WordPress")
REFUSED = gettext_lazy("%(path)s was not imported, nothing was saved: %(place)s%(reason)s")
PLACE = gettext_lazy("line %(line)s, column %(column)s: ")
CANNOT_READ = gettext_lazy("Cannot read %(path)s: %(error)s")
NO_MEDIA_FOLDER = gettext_lazy("The media folder %(path)s does not exist.")
CHECKING = gettext_lazy("Checking %(path)s …")
FOUND = gettext_lazy(
    "WXR %(version)s: %(items)d items, %(comments)d comments, %(authors)d authors."
)


class Command(BaseCommand):
    help = "Import a WordPress export (WXR 1.0–1.2): posts, pages, comments, votes, ratings, images and old links."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the export file (Tools › Export in WordPress)")
        parser.add_argument(
            "--media", type=Path, default=None, help="a copy of the old site's wp-content/uploads folder, for images"
        )
        parser.add_argument(
            "--categories",
            choices=[importer.CATEGORIES_AS_SECTIONS, importer.CATEGORIES_AS_TAGS],
            default=importer.CATEGORIES_AS_SECTIONS,
            help="categories become sections (default; sub-categories become sub-sections) or tags",
        )
        parser.add_argument(
            "--section", default="", help="with --categories tags, or for posts without a category: the section's title"
        )
        parser.add_argument("--dry-run", action="store_true", help="read and report, save nothing")
        parser.add_argument("--progress", action="store_true", help="draw the progress bar even when not on a terminal")

    def handle(self, *args, **options):
        # Wagtail logs each page it publishes; noise between the progress bar and the report.
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
        media = options["media"]
        if media is not None and not media.is_dir():
            raise CommandError(NO_MEDIA_FOLDER % {"path": media}, returncode=EXIT_NOTHING_DONE)
        self.stderr.write(str(CHECKING % {"path": path}))
        try:
            census = importer.wxr.census(path)
        except OSError as error:
            raise CommandError(
                CANNOT_READ % {"path": path, "error": error.strerror or error}, returncode=EXIT_NOTHING_DONE
            ) from None
        except WXRError as error:
            place = PLACE % {"line": error.line, "column": error.column or 0} if error.line else ""
            raise CommandError(
                REFUSED % {"path": path, "place": place, "reason": error.reason}, returncode=EXIT_NOTHING_DONE
            ) from None
        self.stderr.write(
            str(FOUND % {"version": census.version, "items": census.total_items, "comments": census.comments,
                         "authors": census.authors})
        )
        progress = ProgressBar(label=str(PROGRESS_LABEL), stream=self.stderr)
        if options["progress"]:
            progress.enabled = True
        try:
            report = importer.import_wordpress(
                path,
                census=census,
                media_dir=media,
                dry_run=options["dry_run"],
                categories=options["categories"],
                default_section=options["section"].strip(),
                progress=progress,
            )
        except HomePageMissing:
            raise CommandError(importer.NO_HOME, returncode=EXIT_NOTHING_DONE) from None
        for line in report.lines():
            self.stdout.write(line)
