"""Background work of subscriptions: run by `minbar worker`, at once in tests."""

from django_tasks import task


@task()
def deliver_mail(mail_id: int) -> str:
    """Send one queued e-mail; on failure, try again later (see mail.deliver)."""
    from . import mail

    return mail.deliver(mail_id)
