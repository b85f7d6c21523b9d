from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from minbar.newsroom.models import CommentModeration


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
