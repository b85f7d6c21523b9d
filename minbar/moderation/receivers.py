"""Held comments ask for an editors' notice once their transaction commits."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from minbar.comments.models import Comment, CommentStatus

from . import notify


@receiver(post_save, sender=Comment, dispatch_uid="moderation-comment-held")
def comment_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.status == CommentStatus.PENDING:
        transaction.on_commit(partial(notify.comment_held, instance.pk))
