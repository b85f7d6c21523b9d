"""Who asked to be told about new comments, and the e-mails we owe them.

Nothing secret is stored in clear: confirmation and unsubscribe links carry
signed tokens (the signature is the secret, nothing to steal from the
database), and the one token that grants access to a reader's data (the
"my data" link) is random and kept only as a keyed hash.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class Subscriber(models.Model):
    """An e-mail address that asked for notifications; nothing but its confirmation is sent before it confirms."""

    # Lower-cased whole: in practice every provider ignores case, and two
    # spellings of one address must not be two subscribers.
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    # The interface language of its last request: its e-mails speak it.
    language = models.CharField(_("language"), max_length=8, default="ar")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class SubscriptionKind(models.TextChoices):
    # New approved comments anywhere on one article.
    ARTICLE = "article", pgettext_lazy("subscription kind", "New comments on an article")
    # Direct replies to any comment written with this address, on any article
    # (site-wide: asking once on one article covers every later comment).
    REPLIES_TO_ME = "replies_to_me", pgettext_lazy("subscription kind", "Replies to my comments")
    # Replies anywhere in the thread under one comment.
    REPLIES_TO_COMMENT = "replies_to_comment", pgettext_lazy("subscription kind", "Replies to a comment")


class Subscription(models.Model):
    """One thing a subscriber wants to hear about; active once confirmed."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriptionKind.choices)
    # The article it is about; for "replies to me", the article where the reader asked.
    article = models.ForeignKey(
        "newsroom.ArticlePage", verbose_name=_("article"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "comments.Comment", verbose_name=_("comment"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What makes two subscriptions the same ("article:12", "me", "comment:40"):
    # a plain column, so uniqueness holds on every database despite NULLs.
    target = models.CharField(max_length=40)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(fields=["subscriber", "kind", "target"], name="one_subscription_per_target")]
        indexes = [models.Index(fields=["kind", "target", "confirmed_at"], name="subscription_lookup")]

    def __str__(self):
        return f"{self.subscriber.email}: {self.kind} {self.target}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class MailKind(models.TextChoices):
    CONFIRM = "confirm", pgettext_lazy("e-mail kind", "Confirmation")
    NOTIFY = "notify", pgettext_lazy("e-mail kind", "Notification")
    ACCESS = "access", pgettext_lazy("e-mail kind", "Link to my data")


class OutgoingMail(models.Model):
    """An e-mail we owe someone, sent by a background task and retried until it leaves.

    The row is the proof that a notification was owed once: one per address
    and comment, whatever the number of matching subscriptions, however
    often the comment is announced.
    """

    kind = models.CharField(max_length=10, choices=MailKind.choices)
    address = models.EmailField(max_length=254)
    language = models.CharField(max_length=8, default="ar")
    subscription = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey("comments.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address", "comment"], condition=models.Q(kind="notify"), name="one_notification_per_comment"
            )
        ]


class AccessToken(models.Model):
    """A link that shows one address's comments and subscriptions; only its hash is kept."""

    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
