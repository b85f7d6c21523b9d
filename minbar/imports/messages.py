"""What importers tell the person running them, in the interface language.

Kept in one place so that the command and its tests use the same constants.
Placeholders name what they hold; `field` is a key of the input, left as it is.
"""

from django.utils.translation import gettext_lazy as _, ngettext_lazy

# Why a line was skipped.
INVALID_UTF8 = _("not UTF-8 text (bad byte at position %(position)d)")
INVALID_JSON = _("not valid JSON (error at character %(position)d)")
TOO_DEEP = _("JSON nested too deeply to read")
NOT_AN_OBJECT = _("not a JSON object")
MISSING_FIELD = _("the field “%(field)s” is missing or empty")
NOT_TEXT = _("the field “%(field)s” must be text")
TOO_LONG = _("the field “%(field)s” is longer than %(limit)d characters")
BAD_DATE = _("“%(value)s” is not an ISO 8601 date (such as 2024-05-01 or 2024-05-01T09:30:00+03:00)")
UNKNOWN_LANGUAGE = _("unknown language “%(value)s” (use one of: %(choices)s)")
UNKNOWN_KIND = _("unknown kind “%(value)s” (use one of: %(choices)s)")
NO_SECTION = _("no section: give “section” or “category”, or a default with --section")
BAD_TAGS = _("“tags” must be a list of names or a comma-separated text")
BAD_AUTHOR = _("“author” must be a name or a list of names")
DUPLICATE = _("the same article as line %(line)d")
EDITED_SINCE_IMPORT = _(
    "an editor has changed or unpublished this article since it was imported; it was left as it is"
)

# The report at the end of a run.
SUMMARY = _("Created: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d, skipped: %(skipped)d.")
DRY_RUN_SUMMARY = _(
    "Dry run, nothing was saved. Would create: %(created)d, update: %(updated)d, "
    "unchanged: %(unchanged)d, skipped: %(skipped)d."
)
NEW_SECTIONS_AND_AUTHORS = _("New sections: %(sections)d, new authors: %(authors)d.")
SKIPPED_LINE = _("line %(line)d: %(reason)s")
MORE_SKIPPED = ngettext_lazy(
    "… and %(count)d more skipped line.", "… and %(count)d more skipped lines.", "count"
)
SOME_LINES_SKIPPED = _("Some lines were skipped (%(count)d); everything else was imported.")
PROGRESS_LABEL = _("Importing")

# Why nothing could be imported.
CANNOT_READ = _("Cannot read %(path)s: %(error)s")
BAD_SOURCE_NAME = _("--source needs a name of at most %(limit)d characters")
NO_HOME_PAGE = _("The site has no home page yet; run “minbar manage migrate” first.")
