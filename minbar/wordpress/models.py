"""What each WordPress author, term, attachment and comment became, so that a second run updates instead of duplicating.

Posts and pages are remembered by `imports.ImportRecord` like every other
imported article (source "wordpress:<old site address>", key "post:<ID>");
the rest of a WordPress site is remembered here, keyed the same way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectKind(models.TextChoices):
    AUTHOR = "author", _("Author")
    CATEGORY = "category", _("Category")
    TAG = "tag", _("Tag")
    SERIES = "series", _("Series")
    ATTACHMENT = "attachment", _("Attachment")
    COMMENT = "comment", _("Comment")
    RATING = "rating", _("Star rating")


class WordPressObject(models.Model):
    """One thing of one WordPress site (by its ID there) and the Minbar row made from it.

    `object_id` is the primary key of the row in the model `kind` maps to
    (Author, SectionPage or Tag, Series, wagtail Image, Comment); `fingerprint`
    hashes what the export said, so an unchanged thing is skipped on a re-run.
    """

    source = models.CharField(_("source"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ObjectKind.choices)
    wp_id = models.CharField(_("WordPress ID"), max_length=255)
    object_id = models.BigIntegerField(_("Minbar row"))
    fingerprint = models.CharField(_("content fingerprint"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("imported WordPress object")
        verbose_name_plural = _("imported WordPress objects")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="wordpress_one_row_per_object"),
        ]

    def __str__(self):
        return f"{self.source} {self.kind} {self.wp_id} → {self.object_id}"


def mapping(source, kind, wp_ids=None):
    """{wp_id: object_id} of `kind` imported from `source` (only `wp_ids` when given)."""
    rows = WordPressObject.objects.filter(source=source, kind=kind)
    if wp_ids is not None:
        rows = rows.filter(wp_id__in=[str(wp_id) for wp_id in wp_ids])
    return dict(rows.values_list("wp_id", "object_id"))


def remember(source, kind, pairs, fingerprints=None):
    """Record (wp_id, object_id) pairs of `kind`; an existing wp_id is pointed at the new row."""
    fingerprints = fingerprints or {}
    WordPressObject.objects.bulk_create(
        [
            WordPressObject(
                source=source,
                kind=kind,
                wp_id=str(wp_id),
                object_id=object_id,
                fingerprint=fingerprints.get(wp_id, ""),
            )
            for wp_id, object_id in pairs
        ],
        update_conflicts=True,
        unique_fields=["source", "kind", "wp_id"],
        update_fields=["object_id", "fingerprint"],
        batch_size=500,
    )
