"""The rules of comments. Views stay thin and call these."""

from django.db import transaction

from minbar.core import page_cache

from .models import Comment, CommentStatus
from .signals import comment_published


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
