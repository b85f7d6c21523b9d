"""What an import did, told to the person who ran it: counts per kind, then warnings with the WordPress IDs concerned.

Every part of the importer (content, media, discussion) hands its counts and
warnings here. Warnings are grouped by what they say, so 3,000 missing
images make one line with the first IDs, not 3,000 lines.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _, gettext_lazy, ngettext

# Each count the report can show, in the order shown, with its label.
LABELS = {
    "authors.created": gettext_lazy("Authors created"),
    "authors.updated": gettext_lazy("Authors updated"),
    "authors.unchanged": gettext_lazy("Authors unchanged"),
    "sections.created": gettext_lazy("Sections created (from categories)"),
    "categories.as_tags": gettext_lazy("Categories imported as tags"),
    "categories.unused": gettext_lazy("Categories without posts (not imported)"),
    "tags.created": gettext_lazy("Tags created"),
    "series.created": gettext_lazy("Series created"),
    "posts.created": gettext_lazy("Articles created"),
    "posts.updated": gettext_lazy("Articles updated"),
    "posts.unchanged": gettext_lazy("Articles unchanged"),
    "posts.edited_since": gettext_lazy("Articles left alone (edited in Minbar since the last import)"),
    "posts.live": gettext_lazy("… of them published"),
    "posts.draft": gettext_lazy("… of them drafts"),
    "posts.pending": gettext_lazy("… of them drafts waiting for review"),
    "posts.scheduled": gettext_lazy("… of them scheduled"),
    "posts.private": gettext_lazy("… of them private (editors only)"),
    "posts.in_series": gettext_lazy("… of them parts of a series"),
    "pages.created": gettext_lazy("Pages created"),
    "pages.updated": gettext_lazy("Pages updated"),
    "pages.unchanged": gettext_lazy("Pages unchanged"),
    "items.skipped": gettext_lazy("Items not imported (trash, revisions, menus, other kinds)"),
    "questions.created": gettext_lazy("Passage questions"),
    "comments.created": gettext_lazy("Comments created"),
    "comments.replies": gettext_lazy("… of them replies"),
    "comments.approved": gettext_lazy("… approved"),
    "comments.pending": gettext_lazy("… awaiting moderation"),
    "comments.spam": gettext_lazy("… spam"),
    "comments.deleted": gettext_lazy("… deleted (in the trash)"),
    "comments.answers": gettext_lazy("… answers to passage questions"),
    "comments.updated": gettext_lazy("Comments updated"),
    "comments.unchanged": gettext_lazy("Comments unchanged"),
    "comments.deleted_in_minbar": gettext_lazy("Comments deleted in Minbar since the last import (not brought back)"),
    "comments.skipped": gettext_lazy("Pingbacks and trackbacks (not imported)"),
    "comments.of_skipped_items": gettext_lazy("Comments of items not imported"),
    "comments.on_pages": gettext_lazy("Comments on pages (not imported: pages have no discussion)"),
    "votes.imported": gettext_lazy("Comments with votes"),
    "ratings.imported": gettext_lazy("Articles with a star rating"),
    "images.created": gettext_lazy("Images created"),
    "images.updated": gettext_lazy("Images updated"),
    "images.unchanged": gettext_lazy("Images unchanged"),
    "images.missing": gettext_lazy("Images whose file was not found"),
    "images.unreadable": gettext_lazy("Images that could not be read"),
    "attachments.other": gettext_lazy("Attachments that are not images"),
    "redirects": gettext_lazy("Old addresses redirected"),
}
# IDs listed under one warning; the rest are counted.
SHOWN_IDS = 20


@dataclass(frozen=True)
class Warning:
    message: str  # a lazy translation with %(name)s placeholders
    params: tuple = ()  # ((name, value), …): hashable, so equal warnings group
    wp_ids: tuple = ()


@dataclass
class ImportReport:
    dry_run: bool = False
    version: str = ""
    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)

    def add(self, key, number=1):
        if number:
            self.counts[key] += number

    def warn(self, message, params=None, wp_ids=()):
        if isinstance(wp_ids, (int, str)):
            wp_ids = (wp_ids,)
        self.warnings.append(Warning(message, tuple(sorted((params or {}).items())), tuple(wp_ids)))

    def merge(self, outcome, prefix=""):
        """Take the counts and warnings of a part's outcome (`counts` mapping, `warnings` of (message, params, ids))."""
        for key, number in getattr(outcome, "counts", {}).items():
            self.add(prefix + key, number)
        for warning in getattr(outcome, "warnings", ()):
            message, params, wp_ids = (tuple(warning) + ((), ()))[:3]
            self.warn(message, params, wp_ids)

    def grouped_warnings(self):
        """[(text, [wp ids])] with equal texts together, in order of first appearance."""
        groups = defaultdict(list)
        for warning in self.warnings:
            params = dict(warning.params)
            text = str(warning.message) % params if params else str(warning.message)
            groups[text].extend(warning.wp_ids)
        return list(groups.items())

    def lines(self):
        """The report as lines of text in the active language."""
        lines = [_("Dry run: nothing was saved. This is what the import would do.")] if self.dry_run else []
        for key, label in LABELS.items():
            if self.counts.get(key):
                lines.append(f"{label}: {self.counts[key]}")
        groups = self.grouped_warnings()
        if groups:
            lines.append(
                ngettext("%(count)d warning:", "%(count)d warnings:", len(self.warnings)) % {"count": len(self.warnings)}
            )
        for text, wp_ids in groups:
            if not wp_ids:
                lines.append(f"- {text}")
                continue
            shown = ", ".join(str(wp_id) for wp_id in wp_ids[:SHOWN_IDS])
            more = len(wp_ids) - SHOWN_IDS
            ids = _("WordPress IDs: %(ids)s") % {"ids": shown}
            if more > 0:
                ids += " " + ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more}
            lines.append(f"- {text} ({ids})")
        return lines
