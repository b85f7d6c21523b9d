"""What each imported item became, so that importing the same source again updates instead of duplicating."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    """One item of an outside source (a JSON line, later a WordPress post) and the page made from it.

    `source` names the key space: "jsonl" for `minbar import-jsonl` (or the
    name given with --source), e.g. "wordpress" for the WordPress importer,
    whose keys are post IDs. `content_hash` fingerprints what the item said
    when it was last imported: an unchanged item is skipped, a changed one
    updates its page. Deleting the page deletes the record, so importing
    again brings a deleted article back.
    """

    source = models.CharField(_("source"), max_length=50)
    external_key = models.CharField(_("key in the source"), max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="import_records"
    )
    content_hash = models.CharField(_("content fingerprint"), max_length=64)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_key"], name="imports_one_page_per_source_key"),
        ]

    def __str__(self):
        return f"{self.source}:{self.external_key}"
