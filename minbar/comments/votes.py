"""Votes on comments: one per reader, changeable, never on one's own comment, limited, exact under load."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.core import page_cache
from minbar.readers import ratelimit

from .models import Comment, CommentStatus, CommentVote

# Votes a reader, and a network, may cast in a minute (STYLE 31: limits are named).
VOTES_PER_READER_PER_MINUTE = 30
VOTES_PER_NETWORK_PER_MINUTE = 120
# Readers without a cookie (a new one, or one just cleared) from one network
# that may vote on one comment in an hour: a fourth is someone clearing cookies.
NEW_READERS_PER_NETWORK_PER_COMMENT = 3


@dataclass
class VoteOutcome:
    ok: bool
    message: str = ""
    value: int = 0
    upvotes: int = 0
    downvotes: int = 0

    @property
    def score(self):
        return self.upvotes - self.downvotes


def _is_own(comment, reader, user):
    if reader.key and comment.reader_key == reader.key:
        return True
    return user is not None and comment.user_id is not None and comment.user_id == user.pk


def cast_vote(comment_id, reader, value, *, user=None):
    """Record `reader`'s vote (+1, -1, or 0 to withdraw it) on a comment; counts stay exact.

    The comment's row is locked for the vote, so concurrent votes on one comment
    queue up (PostgreSQL row lock; SQLite's write transactions are immediate) and
    the counters move in the same transaction as the vote row.
    """
    refused = VoteOutcome(ok=False, message=_("You are voting too fast. Wait a minute and try again."))
    if not ratelimit.allow("comment-vote-network", reader.ip_hash, limit=VOTES_PER_NETWORK_PER_MINUTE, seconds=60):
        return refused
    if reader.key and not ratelimit.allow("comment-vote-reader", reader.key, limit=VOTES_PER_READER_PER_MINUTE, seconds=60):
        return refused
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id, status=CommentStatus.APPROVED).first()
        if comment is None:
            return VoteOutcome(ok=False, message=_("This comment cannot be voted on."))
        if _is_own(comment, reader, user):
            return VoteOutcome(
                ok=False,
                message=_("You cannot vote on your own comment."),
                upvotes=comment.upvotes,
                downvotes=comment.downvotes,
            )
        existing = CommentVote.objects.filter(comment=comment, reader_key=reader.key).first() if reader.key else None
        if existing is None and value and reader.is_new:
            hour_ago = timezone.now() - datetime.timedelta(hours=1)
            others = (
                CommentVote.objects.filter(comment=comment, ip_hash=reader.ip_hash, created_at__gte=hour_ago)
                .values("reader_key")
                .distinct()
                .count()
            )
            if reader.ip_hash and others >= NEW_READERS_PER_NETWORK_PER_COMMENT:
                return VoteOutcome(
                    ok=False,
                    message=_("Too many votes on this comment came from your network in the last hour. Try again later."),
                    upvotes=comment.upvotes,
                    downvotes=comment.downvotes,
                )
        old = existing.value if existing else 0
        if value == old:
            return VoteOutcome(ok=True, value=value, upvotes=comment.upvotes, downvotes=comment.downvotes)
        if existing and value:
            existing.value, existing.updated_at = value, timezone.now()
            existing.save(update_fields=["value", "updated_at"])
        elif existing:
            existing.delete()
        else:
            CommentVote.objects.create(comment=comment, reader_key=reader.key, ip_hash=reader.ip_hash, value=value)
        changes = {}
        if old == 1 or value == 1:
            changes["upvotes"] = F("upvotes") + (1 if value == 1 else -1)
        if old == -1 or value == -1:
            changes["downvotes"] = F("downvotes") + (1 if value == -1 else -1)
        Comment.objects.filter(pk=comment.pk).update(**changes)
        comment.refresh_from_db(fields=["upvotes", "downvotes"])
    page_cache.invalidate_article(comment.article_id)
    return VoteOutcome(ok=True, value=value, upvotes=comment.upvotes, downvotes=comment.downvotes)
