"""The rules of comments. Views stay thin and call these."""

from dataclasses import dataclass, field

from django.db import transaction

from minbar.core import page_cache

from .models import Comment, CommentStatus
from .signals import comment_published

# Replies that keep a deleted comment in place: what readers see, and
# placeholders that themselves hold visible replies further down.
THREAD_HOLDING_STATUSES = (CommentStatus.APPROVED, CommentStatus.DELETED)


def set_status(comments, status):
    """Give `comments` (a queryset or list) `status`; announce those that become visible.

    Used by moderation (bulk approve, spam, delete) as well as by posting.
    Each article whose visible comments changed loses its cached page.
    """
    comments = list(comments)
    newly_published = [comment for comment in comments if comment.status != CommentStatus.APPROVED and status == CommentStatus.APPROVED]
    changed = [comment for comment in comments if comment.status != status]
    with transaction.atomic():
        Comment.objects.filter(pk__in=[comment.pk for comment in changed]).update(status=status)
    for comment in changed:
        comment.status = status
    for article_id in {comment.article_id for comment in changed}:
        page_cache.invalidate_article(article_id)
    for comment in newly_published:
        transaction.on_commit(lambda comment=comment: comment_published.send(sender=Comment, comment=comment))
    return changed


def _holds_thread(comment):
    return comment.replies.filter(status__in=THREAD_HOLDING_STATUSES).exists()


def delete_comment(comment):
    """Delete `comment` for its author or a moderator.

    A comment with visible replies becomes a placeholder (status DELETED, its
    words and author blanked) so the replies keep their place in the thread;
    one without is removed, and so is a placeholder parent left with nothing
    under it. The article's cached page is dropped. Returns "placeholder" or
    "removed".
    """
    article_id = comment.article_id
    with transaction.atomic():
        if _holds_thread(comment):
            Comment.objects.filter(pk=comment.pk).update(
                status=CommentStatus.DELETED, body="", author_name="", author_email="", author_url="", user=None
            )
            comment.status = CommentStatus.DELETED
            comment.body = comment.author_name = comment.author_email = comment.author_url = ""
            comment.user = None
            outcome = "placeholder"
        else:
            parent_id = comment.parent_id
            comment.delete()
            # A placeholder only stood for the replies under it: the last one gone, it goes too.
            while parent_id:
                parent = Comment.objects.filter(pk=parent_id).first()
                if parent is None or parent.status != CommentStatus.DELETED or _holds_thread(parent):
                    break
                parent_id = parent.parent_id
                parent.delete()
            outcome = "removed"
    page_cache.invalidate_article(article_id)
    return outcome


@dataclass
class PostOutcome:
    """What became of a posted comment: `comment` (None when refused), a message for the reader, an edit token."""

    comment: Comment | None = None
    refused: bool = False
    message: str = ""
    errors: dict = field(default_factory=dict)
    edit_token: str = ""


def post_comment(
    article,
    *,
    reader,
    author_name,
    author_email,
    body,
    author_url="",
    user=None,
    parent=None,
    language="ar",
    question=None,
    quote="",
    quote_prefix="",
    quote_suffix="",
    quote_position=None,
    seconds_on_form=None,
    honeypot="",
):
    """Screen and store a comment; filled in next (stub signature for the other discussion apps)."""
    raise NotImplementedError
