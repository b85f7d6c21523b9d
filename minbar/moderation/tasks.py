"""Background work of moderation: run by `minbar worker`, at once in tests."""

from django_tasks import task

from . import notify


@task()
def send_held_comments_notice() -> int:
    """E-mail the editors who may moderate that comments are waiting (see notify)."""
    return notify.send_held_comments_notice()
