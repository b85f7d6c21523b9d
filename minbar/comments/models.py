from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from minbar.passages.models import PassageAnchor


class CommentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("comment status", "Awaiting moderation")
    APPROVED = "approved", pgettext_lazy("comment status", "Approved")
    SPAM = "spam", pgettext_lazy("comment status", "Spam")
    # Deleted by its author or a moderator; kept as a placeholder while it has replies.
    DELETED = "deleted", pgettext_lazy("comment status", "Deleted")


class Comment(PassageAnchor):
    """A reader's comment on an article, on one of its passages, or a reply to another comment."""

    article = models.ForeignKey(
        "newsroom.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # 1 for a comment on the article, 2 for a reply to it, and so on.
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(_("name"), max_length=80)
    author_email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    author_url = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"))
    # The interface language the reader wrote in: their e-mails speak it.
    language = models.CharField(_("language"), max_length=8, default="ar")
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    # Why moderation held it, for the editors' queue.
    moderation_note = models.CharField(_("moderation note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    ip_hash = models.CharField(_("network hash"), max_length=40, blank=True, db_index=True)
    reader_key = models.CharField(_("reader key"), max_length=40, blank=True, db_index=True)
    upvotes = models.PositiveIntegerField(_("up votes"), default=0)
    downvotes = models.PositiveIntegerField(_("down votes"), default=0)
    question = models.ForeignKey(
        "passages.PassageQuestion",
        verbose_name=_("passage question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_listing")]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"

    @property
    def score(self):
        return self.upvotes - self.downvotes


class CommentVote(models.Model):
    """One reader's vote on one comment: +1 or -1, changeable."""

    class Value(models.IntegerChoices):
        UP = 1, pgettext_lazy("comment vote", "Up")
        DOWN = -1, pgettext_lazy("comment vote", "Down")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    reader_key = models.CharField(max_length=40)
    ip_hash = models.CharField(max_length=40, blank=True, db_index=True)
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment vote")
        verbose_name_plural = _("comment votes")
        constraints = [models.UniqueConstraint(fields=["comment", "reader_key"], name="one_vote_per_reader")]
