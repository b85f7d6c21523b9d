"""Who hears about a newly visible comment.

Called from comment_published (sent once per comment, after commit). Each
address gets at most one e-mail per comment, whatever the number of its
subscriptions that match (the OutgoingMail constraint holds it even if the
comment were announced twice), and never the comment's own author.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import MailKind, OutgoingMail, Subscription, SubscriptionKind
from .services import enqueue_delivery, normalize_email

# When several subscriptions of one address match, the e-mail speaks of the
# most specific one, and its unsubscribe link ends that one.
_PREFERENCE = {SubscriptionKind.REPLIES_TO_ME: 0, SubscriptionKind.REPLIES_TO_COMMENT: 1, SubscriptionKind.ARTICLE: 2}


def _thread_above(comment):
    """The comments `comment` replies to, nearest first (the parent chain)."""
    from minbar.comments.models import Comment

    chain, parent_id, seen = [], comment.parent_id, set()
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        parent = Comment.objects.filter(pk=parent_id).only("pk", "parent_id", "author_email", "status").first()
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    return chain


def _author_addresses(comment):
    addresses = {normalize_email(comment.author_email)}
    if comment.user_id and getattr(comment.user, "email", ""):
        addresses.add(normalize_email(comment.user.email))
    return addresses - {""}


def recipients_for(comment):
    """The confirmed subscriptions to notify of `comment`, one per address, the comment's author left out."""
    from minbar.comments.models import CommentStatus

    ancestors = _thread_above(comment)
    wanted = Q(kind=SubscriptionKind.ARTICLE, target=f"article:{comment.article_id}")
    if ancestors:
        wanted |= Q(kind=SubscriptionKind.REPLIES_TO_COMMENT, target__in=[f"comment:{parent.pk}" for parent in ancestors])
        parent = ancestors[0]
        parent_address = normalize_email(parent.author_email)
        # A deleted or hidden parent no longer speaks for anyone.
        if parent_address and parent.status == CommentStatus.APPROVED:
            wanted |= Q(kind=SubscriptionKind.REPLIES_TO_ME, subscriber__email=parent_address)
    matching = (
        Subscription.objects.filter(wanted, confirmed_at__isnull=False, subscriber__confirmed_at__isnull=False)
        .select_related("subscriber")
        .order_by("pk")
    )
    authors = _author_addresses(comment)
    chosen = {}
    for subscription in matching:
        address = subscription.subscriber.email
        if address in authors:
            continue
        current = chosen.get(address)
        if current is None or _PREFERENCE[subscription.kind] < _PREFERENCE[current.kind]:
            chosen[address] = subscription
    return list(chosen.values())


def notify_of_comment(comment):
    """Queue one notification per interested address for the newly visible `comment`; returns how many."""
    from minbar.comments.models import CommentStatus

    if comment.status != CommentStatus.APPROVED:
        return 0
    queued = []
    for subscription in recipients_for(comment):
        try:
            with transaction.atomic():
                mail = OutgoingMail.objects.create(
                    kind=MailKind.NOTIFY,
                    address=subscription.subscriber.email,
                    language=subscription.subscriber.language,
                    subscription=subscription,
                    comment=comment,
                )
        except IntegrityError:
            continue  # already owed for this comment: announced twice
        queued.append(mail.pk)
    for mail_id in queued:
        transaction.on_commit(lambda mail_id=mail_id: enqueue_delivery(mail_id))
    return len(queued)


def on_comment_published(sender, comment, **kwargs):
    notify_of_comment(comment)
