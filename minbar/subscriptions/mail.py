"""Build and send the e-mails of subscriptions, one queued OutgoingMail at a time.

Every message is built when it is sent, not when it is queued: a
subscription cancelled or a comment removed in between means nothing is
sent. Each mail is text and HTML, in the language of the reader's request.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from minbar.readers.text import clean_name

from . import mydata, services
from .models import MailKind, OutgoingMail, SubscriptionKind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def _retry_delay(attempts):
    # 1, 4, 16, 64 minutes: a mail server that is down for an hour still gets the mail.
    return timedelta(minutes=4 ** (attempts - 1))


def site_root(article=None):
    """The scheme and host links in e-mails start with: the article's site, else the default site."""
    site = None
    if article is not None:
        site = article.get_site()
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/")


def absolute(path, article=None):
    return site_root(article) + path


def one_line(value, limit=150):
    """A header-safe line: no CR/LF or other controls, whatever the editor or reader typed."""
    text = clean_name(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def deliver(mail_id):
    """Send the queued mail `mail_id`; "sent", "dropped", "retry", "failed" or "skipped"."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.sent_at is not None:
        return "skipped"
    with translation.override(mail.language):
        try:
            message = build(mail)
        except Exception as error:  # a broken template or row must not retry forever
            logger.exception("Could not build subscription mail %s", mail.pk)
            message, reason = None, f"build failed: {type(error).__name__}"
        else:
            reason = "no longer owed"
        if message is None:
            OutgoingMail.objects.filter(pk=mail.pk).update(last_error=reason)
            return "dropped"
        try:
            message.send()
        except Exception as error:
            attempts = mail.attempts + 1
            OutgoingMail.objects.filter(pk=mail.pk).update(attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:300])
            if attempts >= MAX_ATTEMPTS:
                logger.error("Giving up on subscription mail %s after %s attempts: %s", mail.pk, attempts, error)
                return "failed"
            logger.warning("Subscription mail %s failed (attempt %s), retrying: %s", mail.pk, attempts, error)
            services.enqueue_delivery(mail.pk, run_after=timezone.now() + _retry_delay(attempts))
            return "retry"
    OutgoingMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), attempts=mail.attempts + 1, last_error="")
    return "sent"


def build(mail):
    """The message for `mail`, or None when it is no longer owed."""
    if mail.kind == MailKind.CONFIRM:
        return _confirmation(mail)
    if mail.kind == MailKind.NOTIFY:
        return _notification(mail)
    if mail.kind == MailKind.ACCESS:
        return _access(mail)
    return None


def _message(mail, template, subject, context, headers=None):
    context = {**context, "subject": subject, "language_bidi": translation.get_language_bidi()}
    text = render_to_string(f"subscriptions/email/{template}.txt", context)
    html = render_to_string(f"subscriptions/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=one_line(subject, 200),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.address],
        # RFC 3834: no vacation or out-of-office replies to these.
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message


def _subscription_context(subscription):
    article = subscription.article
    return {
        "subscription": subscription,
        "article": article,
        "article_title": article.title if article is not None else "",
        "article_url": article.get_full_url() if article is not None else site_root() + "/",
    }


def _confirmation(mail):
    subscription = mail.subscription
    if subscription is None or subscription.is_confirmed:
        return None
    token = services.confirm_token(subscription)
    context = {
        **_subscription_context(subscription),
        "confirm_url": absolute(reverse("subscriptions:confirm", args=[token]), subscription.article),
        "cancel_url": absolute(reverse("subscriptions:cancel", args=[token]), subscription.article),
        "what": describe(subscription),
        "valid_days": services.CONFIRM_MAX_AGE.days,
    }
    return _message(mail, "confirm", _("Confirm your subscription"), context)


def _notification(mail):
    from minbar.comments.models import CommentStatus
    subscription, comment = mail.subscription, mail.comment
    if subscription is None or comment is None or comment.status != CommentStatus.APPROVED:
        return None
    if not subscription.is_confirmed or not subscription.subscriber.is_confirmed:
        return None
    if services.normalize_email(comment.author_email) == mail.address:
        return None
    article = comment.article.specific
    unsubscribe_url = absolute(reverse("subscriptions:unsubscribe", args=[services.unsubscribe_token(subscription)]), article)
    context = {
        **_subscription_context(subscription),
        "article": article,
        "article_title": article.title,
        "comment": comment,
        "author_name": clean_name(comment.author_name),
        # ?comment= as the comments app returns readers to a comment: an address the
        # reader's browser has not kept from an earlier visit (pages are kept for a
        # minute), and one that shows the comment even past the first threads.
        "comment_url": f"{article.get_full_url()}?comment={comment.pk}#comment-{comment.pk}",
        "is_reply_to_me": subscription.kind == SubscriptionKind.REPLIES_TO_ME,
        "what": describe(subscription),
        "unsubscribe_url": unsubscribe_url,
        "my_data_url": absolute(reverse("subscriptions:mine"), article),
    }
    if subscription.kind == SubscriptionKind.ARTICLE:
        subject = _("New comment on: %(title)s") % {"title": one_line(article.title, 120)}
    else:
        subject = _("New reply on: %(title)s") % {"title": one_line(article.title, 120)}
    # RFC 8058: a mail client may POST "List-Unsubscribe=One-Click" to the
    # https URL to end this subscription without opening anything.
    headers = {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return _message(mail, "notify", subject, context, headers)


def _access(mail):
    token = mydata.new_access_token(mail.address)
    context = {
        "data_url": absolute(reverse("subscriptions:mine_data", args=[token])),
        "valid_hours": int(mydata.ACCESS_MAX_AGE.total_seconds() // 3600),
    }
    return _message(mail, "access", _("Your comments and subscriptions"), context)


def describe(subscription):
    """What a subscription is about, in a sentence for e-mails and the data page."""
    if subscription.kind == SubscriptionKind.ARTICLE:
        return _("new comments on “%(title)s”") % {"title": subscription.article.title if subscription.article else ""}
    if subscription.kind == SubscriptionKind.REPLIES_TO_ME:
        return _("replies to your comments")
    name = clean_name(subscription.comment.author_name) if subscription.comment else ""
    return _("replies to the comment by %(name)s") % {"name": name}
