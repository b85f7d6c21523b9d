"""Who may moderate comments: Django's own model permissions on Comment.

"Change comment" lets a user see the queue, approve comments, mark them as
spam and block senders; "delete comment" lets them delete. The Editors and
Moderators groups get both (migration 0003); give them to anyone else in
Settings → Groups or Users. Nobody adds comments in the admin: readers do.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

MODERATE_PERMISSION = "comments.change_comment"
DELETE_PERMISSION = "comments.delete_comment"


def may_moderate(user):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(MODERATE_PERMISSION))


def may_delete(user):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(DELETE_PERMISSION))


def moderators():
    """Active users who may moderate comments (superusers included)."""
    app_label, codename = MODERATE_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(user_permissions__in=permission) | Q(groups__permissions__in=permission))
        .distinct()
    )
