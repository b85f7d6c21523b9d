"""The rules of e-mail subscriptions. Views stay thin and call these.

Decisions (see also docs in models.py):

* Double opt-in for every subscription, even for an address that confirmed
  an earlier one: otherwise anyone who knows a confirmed address could sign
  it up for every article on the site. A subscription already confirmed is
  simply returned, so asking twice sends nothing.
* "Replies to my comments" is site-wide: one confirmation covers every
  comment written with that address, so the "notify me of replies" box on
  the comment form asks for a confirmation once, not on every comment. It
  covers direct replies only (the parent comment is the reader's); a whole
  thread is followed with "replies to this comment".
* Nothing but the confirmation is ever sent to an unconfirmed address; the
  "my data" link is sent only because the reader asked for it on the page,
  to prove the address, and it is rate-limited like confirmations.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.readers import ratelimit
from minbar.readers.identity import hash_value, ip_hash as ip_hash_of

from .models import AccessToken, MailKind, OutgoingMail, Subscriber, Subscription, SubscriptionKind

logger = logging.getLogger(__name__)

CONFIRM_SALT = "minbar.subscriptions.confirm"
UNSUBSCRIBE_SALT = "minbar.subscriptions.unsubscribe"


def _setting(name, default):
    return getattr(settings, name, default)


# Limits on mails a stranger can make us send to an address: a few per
# address per hour (one typo and a retry are fine), more per network (a
# household or an office shares one).
def confirmations_per_address():
    return _setting("MINBAR_SUBSCRIPTION_MAILS_PER_ADDRESS", 3)


def confirmations_per_network():
    return _setting("MINBAR_SUBSCRIPTION_MAILS_PER_NETWORK", 10)


RATE_WINDOW_SECONDS = 3600
CONFIRM_MAX_AGE = timedelta(days=3)
# Sent mails are kept this long: enough to see what was sent when a reader
# asks, and to keep a comment announced twice from being mailed twice.
MAIL_RECORD_AGE = timedelta(days=30)


def normalize_email(value):
    """The address as stored, or "" when it is not one address (no line breaks, no lists, valid syntax)."""
    value = str(value or "").strip()
    if not value or len(value) > 254 or any(char in value for char in "\r\n\x00,;<>\"'") or any(char.isspace() for char in value):
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value.lower()


def interface_language(value):
    """`value` if it is one of the site's interface languages, else the default one."""
    codes = {code for code, _name in settings.LANGUAGES}
    return value if value in codes else settings.LANGUAGE_CODE


def target_of(kind, article=None, comment=None):
    if kind == SubscriptionKind.ARTICLE:
        return f"article:{article.pk}"
    if kind == SubscriptionKind.REPLIES_TO_ME:
        return "me"
    if kind == SubscriptionKind.REPLIES_TO_COMMENT:
        return f"comment:{comment.pk}"
    raise ValueError(f"unknown subscription kind {kind!r}")


@dataclass
class SubscribeResult:
    """What became of a request: `status` is one of
    "pending" (confirmation sent), "active" (already confirmed, nothing sent),
    "limited" (too many requests, nothing sent), "invalid" (not an address).
    """

    status: str
    subscription: Subscription | None = None

    @property
    def message(self):
        if self.status == "pending":
            return _("Almost done: we sent you an e-mail. Follow the link in it to confirm; until then you will get nothing else from us.")
        if self.status == "active":
            return _("You are already subscribed: nothing has changed.")
        if self.status == "limited":
            return _("Too many confirmation e-mails were asked for recently. Please try again in an hour.")
        return _("Enter a valid e-mail address.")


def within_mail_limits(address, request):
    """Count one more mail to `address` from the network of `request`; False when either limit is spent."""
    per_address = ratelimit.allow(
        "subscription-mail-address", hash_value("email", address), limit=confirmations_per_address(), seconds=RATE_WINDOW_SECONDS
    )
    network = ip_hash_of(request) if request is not None else ""
    per_network = True
    if request is not None:
        per_network = ratelimit.allow(
            "subscription-mail-network", network, limit=confirmations_per_network(), seconds=RATE_WINDOW_SECONDS
        )
    return per_address and per_network


def request_subscription(*, email, kind, article=None, comment=None, language, request=None):
    """Ask for a subscription: create it unconfirmed and e-mail a confirmation link, within the limits."""
    address = normalize_email(email)
    if not address or kind not in SubscriptionKind.values:
        return SubscribeResult("invalid")
    language = interface_language(language)
    if kind == SubscriptionKind.ARTICLE and article is None or kind == SubscriptionKind.REPLIES_TO_COMMENT and comment is None:
        return SubscribeResult("invalid")
    if article is None and comment is not None:
        article = comment.article
    target = target_of(kind, article, comment)
    if kind == SubscriptionKind.REPLIES_TO_ME:
        # Site-wide: tied to no article or comment, so deleting the comment
        # where the reader asked does not end it.
        article = comment = None
    existing = Subscription.objects.filter(subscriber__email=address, kind=kind, target=target).first()
    if existing is not None and existing.is_confirmed:
        return SubscribeResult("active", existing)
    if not within_mail_limits(address, request):
        return SubscribeResult("limited", existing)
    purge_expired()
    with transaction.atomic():
        subscriber, _created = _subscriber_for(address, language)
        try:
            with transaction.atomic():
                subscription, _created = Subscription.objects.get_or_create(
                    subscriber=subscriber,
                    kind=kind,
                    target=target,
                    defaults={"article": article, "comment": comment},
                )
        except IntegrityError:
            # Someone asked for the same thing at the same moment: theirs stands.
            subscription = Subscription.objects.get(subscriber=subscriber, kind=kind, target=target)
        if subscription.is_confirmed:
            return SubscribeResult("active", subscription)
        # In the language of this request: the interface the reader is using now.
        queue_mail(MailKind.CONFIRM, address, language or subscriber.language, subscription=subscription)
    return SubscribeResult("pending", subscription)


def subscribe(*, email, kind, article=None, comment=None, language, request=None):
    """Subscribe `email` to `kind` (see SubscriptionKind); the subscription, or None when nothing could be done.

    The returned subscription is active only once confirmed (`is_confirmed`);
    a confirmation e-mail was queued unless it already was confirmed.
    """
    return request_subscription(
        email=email, kind=kind, article=article, comment=comment, language=language, request=request
    ).subscription


def _subscriber_for(address, language):
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(email=address, defaults={"language": language})
    except IntegrityError:
        subscriber, created = Subscriber.objects.get(email=address), False
    # An existing subscriber keeps its language until it confirms again (see
    # confirm): a stranger's request must not change what the owner reads.
    return subscriber, created


def queue_mail(kind, address, language, *, subscription=None, comment=None):
    """Record a mail to send and hand it to the background worker once the transaction commits."""
    mail = OutgoingMail.objects.create(
        kind=kind, address=address, language=language, subscription=subscription, comment=comment
    )
    transaction.on_commit(lambda: enqueue_delivery(mail.pk))
    return mail


def enqueue_delivery(mail_id, *, run_after=None):
    from . import tasks

    task = tasks.deliver_mail
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(mail_id)


# Signed tokens -------------------------------------------------------------


def confirm_token(subscription):
    return signing.dumps([subscription.pk, subscription.subscriber_id], salt=CONFIRM_SALT, compress=False)


def unsubscribe_token(subscription):
    return signing.dumps([subscription.pk, subscription.subscriber_id], salt=UNSUBSCRIBE_SALT, compress=False)


def _subscription_from(token, salt, max_age=None):
    try:
        subscription_id, subscriber_id = signing.loads(str(token)[:200], salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Subscription.objects.select_related("subscriber", "article", "comment")
        .filter(pk=subscription_id, subscriber_id=subscriber_id)
        .first()
    )


def subscription_for_confirmation(token):
    """The subscription a confirmation link names, or None when the link is forged, expired or spent."""
    return _subscription_from(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def subscription_for_unsubscribe(token):
    """The subscription an unsubscribe link names (the link never expires), or None."""
    return _subscription_from(token, UNSUBSCRIBE_SALT)


def confirm_subscription(subscription, language=None):
    """Make `subscription` active, and its address confirmed.

    `language` is the interface the owner confirmed in: from now on their
    e-mails speak it (only the owner of the address gets this far).
    """
    now = timezone.now()
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(confirmed_at=now)
        Subscriber.objects.filter(pk=subscription.subscriber_id, confirmed_at__isnull=True).update(confirmed_at=now)
        if language:
            Subscriber.objects.filter(pk=subscription.subscriber_id).update(language=language)
    subscription.refresh_from_db()
    subscription.subscriber.refresh_from_db()
    return subscription


def unsubscribe(subscription):
    """End `subscription`; an address left with nothing is forgotten entirely."""
    with transaction.atomic():
        subscriber_id = subscription.subscriber_id
        Subscription.objects.filter(pk=subscription.pk).delete()
        _forget_if_unused(subscriber_id)


def _forget_if_unused(subscriber_id):
    if Subscription.objects.filter(subscriber_id=subscriber_id).exists():
        return
    address = Subscriber.objects.filter(pk=subscriber_id).values_list("email", flat=True).first()
    Subscriber.objects.filter(pk=subscriber_id).delete()
    if address:
        # Its record of mails goes too; a data-page link asked for separately stays.
        OutgoingMail.objects.filter(address=address).exclude(kind=MailKind.ACCESS).delete()


def unsubscribe_token_is_valid(token):
    try:
        signing.loads(str(token)[:200], salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return True


def purge_expired():
    """Forget what no longer serves: requests never confirmed in time, old mail records, expired links.

    Run on each new request (cheap, indexed by age) so that no schedule is
    needed; an address that never confirmed leaves nothing behind.
    """
    now = timezone.now()
    with transaction.atomic():
        Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_MAX_AGE).delete()
        Subscriber.objects.filter(confirmed_at__isnull=True, subscriptions__isnull=True).delete()
        # Confirmations of requests gone (expired, cancelled) hold only an address.
        OutgoingMail.objects.filter(kind=MailKind.CONFIRM, subscription__isnull=True).delete()
        OutgoingMail.objects.filter(created_at__lt=now - MAIL_RECORD_AGE).delete()
        AccessToken.objects.filter(expires_at__lt=now).delete()
