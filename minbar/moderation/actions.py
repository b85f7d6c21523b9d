"""What moderators do to comments, for the admin's bulk and per-comment actions."""

from django.db import transaction

from minbar.comments import services as comment_services
from minbar.comments.models import CommentStatus

from .blocks import matching_value
from .models import BlockKind, BlockRule


def approve(comments):
    return comment_services.set_status(comments, CommentStatus.APPROVED)


def mark_as_spam(comments):
    return comment_services.set_status(comments, CommentStatus.SPAM)


def delete(comments):
    """Delete through the comments app, which keeps a placeholder for a comment with replies."""
    for comment in comments:
        comment_services.delete_comment(comment)
    return comments


def block_senders(comments, note=""):
    """Block the e-mail addresses and networks of `comments` and mark them as spam; the new blocks."""
    wanted = set()
    for comment in comments:
        for kind, value in ((BlockKind.EMAIL, comment.author_email), (BlockKind.IP_HASH, comment.ip_hash)):
            if not value:
                continue
            try:
                wanted.add((kind, matching_value(kind, value)))
            except ValueError:
                continue  # nothing blockable (an address the form would not take today)
    created = []
    with transaction.atomic():
        for kind, value in sorted(wanted):
            rule, is_new = BlockRule.objects.get_or_create(kind=kind, value=value, defaults={"note": note[:200]})
            if is_new:
                created.append(rule)
        mark_as_spam(comments)
    return created
