"""The comment form's "notify me of replies" box, end to end through the comments app."""

import pytest
from django.core import mail as django_mail

from minbar.comments.services import post_comment
from minbar.newsroom.models import ArticlePage
from minbar.readers.identity import Reader

from .conftest import outbox_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_article(article):
    ArticlePage.objects.filter(pk=article.pk).update(comment_moderation="none")
    return ArticlePage.objects.get(pk=article.pk)


def post(article, rf, capture, *, name, email, body, parent=None, notify_replies=False, token):
    request = rf.post("/comments/", REMOTE_ADDR="203.0.113.7")
    with capture(execute=True):
        outcome = post_comment(
            article,
            reader=Reader(token=token, ip_hash=f"net-{token}"),
            author_name=name,
            author_email=email,
            body=body,
            parent=parent,
            language="ar",
            seconds_on_form=60,
            notify_replies=notify_replies,
            request=request,
        )
    assert outcome.comment is not None, outcome.message
    return outcome.comment


def test_ticking_notify_me_confirms_once_then_replies_arrive(reader, open_article, rf, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    mine = post(open_article, rf, capture, name="هدى", email="huda@example.org", body="الموازنة تأخرت كثيراً هذا العام.",
                notify_replies=True, token="huda-token-0123456789")

    [confirmation] = outbox_to("huda@example.org")
    assert "/subscriptions/confirm/" in confirmation.body
    reader.confirm("huda@example.org")
    django_mail.outbox.clear()

    reply = post(open_article, rf, capture, name="سامر", email="samer@example.org", body="لكنها أُقرّت في النهاية.",
                 parent=mine, token="samer-token-0123456789")

    [notification] = outbox_to("huda@example.org")
    assert "لكنها أُقرّت في النهاية." in notification.body
    assert f"#comment-{reply.pk}" in notification.body

    django_mail.outbox.clear()
    post(open_article, rf, capture, name="هدى", email="huda@example.org", body="صحيح، بعد ثلاثة أشهر.",
         parent=reply, notify_replies=True, token="huda-token-0123456789")
    assert django_mail.outbox == []  # not to herself, no second confirmation, and Samer never asked
