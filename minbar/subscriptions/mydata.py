"""A reader's own data: the link that proves an address, and what it shows and deletes.

The link is random and only its keyed hash is stored (AccessToken); it
works for ACCESS_MAX_AGE. Asking for it answers the same whether or not the
address is known here, and only an address with something here gets mail.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from minbar.readers.identity import hash_value

from .models import AccessToken, MailKind, OutgoingMail, Subscriber, Subscription
from .services import within_mail_limits, interface_language, normalize_email, queue_mail, unsubscribe

ACCESS_MAX_AGE = timedelta(hours=2)


def request_access(*, email, language, request=None):
    """E-mail a link to the reader's data page; "sent", "limited" or "invalid".

    The answer is "sent" whether or not we know the address: the page must
    not tell a stranger who has commented or subscribed.
    """
    address = normalize_email(email)
    if not address:
        return "invalid"
    language = interface_language(language)
    if not within_mail_limits(address, request):
        return "limited"
    # Only an address with something here gets a link: the page cannot be
    # used to send mail to strangers, and its answer is the same either way.
    if _comments_of(address).exists() or Subscriber.objects.filter(email=address).exists():
        with transaction.atomic():
            queue_mail(MailKind.ACCESS, address, language)
    return "sent"


def new_access_token(address):
    """A fresh random token for `address`'s data page; only its hash is stored."""
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    AccessToken.objects.filter(expires_at__lt=now).delete()
    AccessToken.objects.create(email=address, token_hash=hash_value("access", token), expires_at=now + ACCESS_MAX_AGE)
    return token


def address_for_access(token):
    """The address a data-page link was sent to, or "" when the link is unknown or expired."""
    token = str(token or "")
    if not token or len(token) > 64:
        return ""
    row = AccessToken.objects.filter(token_hash=hash_value("access", token), expires_at__gt=timezone.now()).first()
    return row.email if row else ""


def _comments_of(address):
    from minbar.comments.models import Comment, CommentStatus

    return (
        Comment.objects.filter(author_email__iexact=address)
        .exclude(status__in=[CommentStatus.DELETED, CommentStatus.SPAM])
        .select_related("article")
        .order_by("-created_at", "-pk")
    )


def reader_data(address):
    """What the data page shows for `address`: its comments and its subscriptions."""
    subscriptions = list(
        Subscription.objects.filter(subscriber__email=address)
        .select_related("article", "comment", "subscriber")
        .order_by("-created_at", "-pk")
    )
    return {"comments": list(_comments_of(address)), "subscriptions": subscriptions}


def delete_reader_data(address, action, item_id=""):
    """Delete one comment, one subscription, or everything of `address`; what was done ("" if nothing).

    Comments go through comments.services.delete_comment, so replies by
    others keep their place under a placeholder.
    """
    from minbar.comments.services import delete_comment

    item_id = str(item_id)
    if action == "comment" and item_id.isdigit():
        comment = _comments_of(address).filter(pk=int(item_id)).first()
        if comment is not None:
            delete_comment(comment)
            return "comment"
    elif action == "subscription" and item_id.isdigit():
        subscription = Subscription.objects.filter(subscriber__email=address, pk=int(item_id)).first()
        if subscription is not None:
            unsubscribe(subscription)
            return "subscription"
    elif action == "all":
        # Deepest first: a reply of the reader's under their own comment goes
        # before it, so no placeholder is left standing for the reader alone.
        deepest_first = sorted(_comments_of(address).values_list("depth", "pk"), reverse=True)
        for _depth, comment_id in deepest_first:
            comment = _comments_of(address).filter(pk=comment_id).first()
            if comment is not None:
                delete_comment(comment)
        Subscriber.objects.filter(email=address).delete()
        # The record of mails sent holds the address too: it goes with the rest.
        OutgoingMail.objects.filter(address=address).delete()
        return "all"
    return ""
