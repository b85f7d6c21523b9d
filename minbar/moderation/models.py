from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from minbar.newsroom.models import CommentModeration

from .blocks import matching_value


@register_setting(icon="comment")
class DiscussionSettings(BaseGenericSetting):
    """How discussion works on the whole site; an article can override moderation and closing."""

    moderation = models.CharField(
        _("comment moderation"),
        max_length=10,
        choices=CommentModeration.choices,
        default=CommentModeration.HOLD_FIRST,
        help_text=_("Which new comments wait for an editor before readers see them."),
    )
    close_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        default=0,
        help_text=_("Articles older than this take no new comments. 0 keeps comments open."),
    )
    max_depth = models.PositiveSmallIntegerField(
        _("reply depth"),
        default=3,
        help_text=_("How deep replies nest; a reply to the deepest level joins it, naming whom it answers."),
    )
    comments_shown = models.PositiveSmallIntegerField(
        _("comments shown first"),
        default=20,
        help_text=_("How many comments an article shows before a link shows them all."),
    )
    edit_minutes = models.PositiveSmallIntegerField(
        _("minutes to edit"),
        default=15,
        help_text=_("How long a reader may edit their comment after posting it, without an account."),
    )
    min_seconds_to_submit = models.PositiveSmallIntegerField(
        _("minimum seconds to write a comment"),
        default=3,
        help_text=_("A form sent faster than this is treated as sent by a robot."),
    )
    max_links = models.PositiveSmallIntegerField(
        _("most links in a comment"),
        default=2,
        help_text=_("A comment with more links than this waits for an editor."),
    )

    panels = [
        FieldPanel("moderation"),
        MultiFieldPanel(
            [FieldPanel("close_after_days"), FieldPanel("max_depth"), FieldPanel("comments_shown"), FieldPanel("edit_minutes")],
            heading=_("comments"),
        ),
        MultiFieldPanel([FieldPanel("min_seconds_to_submit"), FieldPanel("max_links")], heading=_("spam")),
    ]

    class Meta:
        verbose_name = _("discussion settings")


def discussion_settings():
    """The site's discussion settings (defaults until an editor saves them)."""
    return DiscussionSettings.load()


class BlockKind(models.TextChoices):
    WORD = "word", pgettext_lazy("block kind", "Word or phrase")
    LINK = "link", pgettext_lazy("block kind", "Link (domain)")
    EMAIL = "email", pgettext_lazy("block kind", "E-mail address or @domain")
    IP_HASH = "ip_hash", pgettext_lazy("block kind", "Network (address or its hash)")


class BlockRule(models.Model):
    """Something editors never want in comments: a sender (refused) or a word or link (held).

    Values are stored in their matching form (see `matching_value`), so that
    screening a comment compares like with like: words as minbar.arabic
    normalizes them (hamza, tashkeel, ta marbuta… do not matter), domains and
    addresses in lower case, networks as the keyed hash comments carry.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=BlockKind.choices)
    value = models.CharField(
        _("value"),
        max_length=254,
        help_text=_(
            "A word or phrase; a domain such as spam.example (its subdomains are blocked too); an e-mail address, "
            "or @domain for a whole domain; an IP address or the network hash shown with a comment."
        ),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Why this is blocked, for other editors.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    panels = [FieldPanel("kind"), FieldPanel("value"), FieldPanel("note")]

    class Meta:
        verbose_name = _("comment block")
        verbose_name_plural = _("comment blocks")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_block_per_value")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        try:
            self.value = matching_value(self.kind, self.value)
        except ValueError as error:
            raise ValidationError({"value": str(error)}) from error
        duplicates = BlockRule.objects.filter(kind=self.kind, value=self.value).exclude(pk=self.pk)
        if self.value and duplicates.exists():
            raise ValidationError({"value": _("This is already blocked.")})

    def save(self, *args, **kwargs):
        self.value = matching_value(self.kind, self.value)
        super().save(*args, **kwargs)


class EditorNotice(models.Model):
    """When editors were last told of held comments, so that a wave of spam sends one e-mail, not hundreds.

    One row for the installation. `scheduled_for` is set while a notice task
    is queued (to when it should run): comments held meanwhile are counted by
    that task instead of queueing their own. A schedule long past its time
    means the task was lost (a worker killed mid-way) and is replaced.
    """

    last_sent_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("editor notice")


class SubmissionClaim(models.Model):
    """A comment being posted right now, so that the same one sent twice at once is stored once.

    Checking the comments table for a duplicate cannot see a copy that is
    still on its way in (a double click, a retried request). Each screened
    comment first claims keyed hashes of (article, sender, text), one per way
    of naming the sender (e-mail address, network, account); the unique
    constraint lets only one copy claim them. Claims older than
    CLAIM_SECONDS are taken over and cleared away; the comments table
    answers for anything older.
    """

    fingerprint = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("comment being posted")
