"""Notifications: who gets one for a new comment, what it says, and one-click unsubscribe (RFC 8058)."""

import pytest
from django.core import mail as django_mail

from minbar.comments.models import CommentStatus
from minbar.comments.services import set_status
from minbar.subscriptions.models import OutgoingMail, Subscription

from .conftest import SAME_ORIGIN, link_to, outbox_to, path_of, publish_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def _publish(article, **kwargs):
        return publish_comment(article, capture=django_capture_on_commit_callbacks, **kwargs)

    return _publish


def confirmed(reader, article, email, notify="comments", **extra):
    reader.subscribe(article, email, notify=notify, **extra)
    reader.confirm(email)
    django_mail.outbox.clear()


def test_article_subscriber_gets_the_new_comment_escaped_with_a_link_to_it(reader, article, publish):
    confirmed(reader, article, "huda@example.org")

    comment = publish(article, name="سامر", email="samer@example.org", body="أوافق <b>تماماً</b>\nوأضيف أن الموازنة تأخرت.")

    [message] = django_mail.outbox
    assert message.to == ["huda@example.org"]
    assert article.title in message.subject
    assert "أوافق <b>تماماً</b>" in message.body  # the text part is plain text, shown as typed
    html = message.alternatives[0][0]
    assert "&lt;b&gt;تماماً&lt;/b&gt;" in html and "<b>تماماً</b>" not in html
    assert f"#comment-{comment.pk}" in message.body and f"#comment-{comment.pk}" in html
    assert "سامر" in message.body


def test_the_author_of_the_comment_is_not_told_of_their_own_comment(reader, article, publish):
    confirmed(reader, article, "huda@example.org")

    publish(article, name="هدى", email="HUDA@example.org")

    assert django_mail.outbox == []


def test_replies_to_me_covers_direct_replies_to_my_comments_on_any_article(reader, article, other_article, publish):
    confirmed(reader, article, "huda@example.org", notify="replies")
    mine = publish(other_article, name="هدى", email="huda@example.org", body="رأيي في المعرض.")
    someone_elses = publish(other_article, name="سامر", email="samer@example.org")

    reply = publish(other_article, name="ليلى", email="layla@example.org", parent=mine, body="أختلف معك.")
    publish(other_article, name="ليلى", email="layla@example.org", parent=someone_elses)
    publish(other_article, name="ليلى", email="layla@example.org")

    [message] = outbox_to("huda@example.org")
    assert f"#comment-{reply.pk}" in message.body
    assert "أختلف معك." in message.body


def test_replies_to_a_comment_follows_the_whole_thread_under_it(reader, article, publish):
    top = publish(article, name="سامر", email="samer@example.org")
    reader.subscribe(article, "follower@example.org", notify="thread", comment=top.pk)
    reader.confirm("follower@example.org")
    django_mail.outbox.clear()

    reply = publish(article, name="ليلى", parent=top)
    publish(article, name="كاروان", parent=reply)
    publish(article, name="غريب")  # not in the thread

    assert len(outbox_to("follower@example.org")) == 2


def test_one_mail_per_comment_even_when_several_subscriptions_match(reader, article, publish):
    confirmed(reader, article, "huda@example.org", notify="comments")
    confirmed(reader, article, "huda@example.org", notify="replies")
    mine = publish(article, name="هدى", email="huda@example.org")

    publish(article, name="سامر", parent=mine)

    [message] = django_mail.outbox
    assert "ردّ سامر على تعليقك" in message.body  # the most specific subscription speaks (in Arabic)


def test_a_comment_announced_twice_is_mailed_once(reader, article, publish):
    from minbar.subscriptions.notifications import notify_of_comment

    confirmed(reader, article, "huda@example.org")
    comment = publish(article, name="سامر")

    assert notify_of_comment(comment) == 0
    assert len(django_mail.outbox) == 1
    assert OutgoingMail.objects.filter(kind="notify").count() == 1


def test_held_comments_notify_nobody_until_approved(reader, article, django_capture_on_commit_callbacks):
    from minbar.comments.models import Comment

    confirmed(reader, article, "huda@example.org")
    comment = Comment.objects.create(article=article, author_name="سامر", body="بانتظار المراجعة", status=CommentStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        set_status([comment], CommentStatus.SPAM)
    assert django_mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        set_status([comment], CommentStatus.APPROVED)
    assert len(django_mail.outbox) == 1


def test_notification_speaks_the_subscribers_language(reader, article, publish):
    reader.post("/en/subscriptions/", {"email": "john@example.org", "notify": "comments", "article": article.pk})
    reader.confirm("john@example.org")
    django_mail.outbox.clear()

    publish(article, name="سامر")

    [message] = django_mail.outbox
    assert message.subject.startswith("New comment on:")
    assert 'lang="en"' in message.alternatives[0][0]
    assert "/en/subscriptions/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_notification_carries_one_click_unsubscribe_headers(reader, article, publish):
    confirmed(reader, article, "huda@example.org")
    publish(article, name="سامر")

    [message] = django_mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">") and "/subscriptions/unsubscribe/" in header
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    rendered = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in rendered


def test_one_click_post_from_a_mail_client_unsubscribes_at_once(reader, client, article, publish):
    confirmed(reader, article, "huda@example.org")
    publish(article, name="سامر")
    url = django_mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    django_mail.outbox.clear()

    # What Gmail's servers send: a cross-site POST with only this body, no cookie, no Origin of ours.
    response = client.post(
        path_of(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="https://mail.example.com",
    )

    assert response.status_code == 200
    assert not Subscription.objects.exists()
    publish(article, name="ليلى")
    assert django_mail.outbox == []
    # A second click (header and footer link both used) gets the same answer.
    assert client.post(path_of(url)).status_code == 200


def test_unsubscribe_link_in_the_footer_shows_a_button_first(reader, article, publish):
    confirmed(reader, article, "huda@example.org")
    publish(article, name="سامر")
    path = link_to(django_mail.outbox[0], "/unsubscribe/")

    page = reader.get(path)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert Subscription.objects.exists()

    reader.post(path)
    assert not Subscription.objects.exists()


def test_forged_unsubscribe_token_is_refused(reader, article, publish, client):
    confirmed(reader, article, "huda@example.org")
    publish(article, name="سامر")
    path = link_to(django_mail.outbox[0], "/unsubscribe/")
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))

    assert client.post(forged).status_code == 404
    assert Subscription.objects.exists()


def test_failed_sending_is_retried_then_given_up(reader, article, publish, monkeypatch, settings):
    from minbar.subscriptions import mail as subscription_mail

    confirmed(reader, article, "huda@example.org")
    calls = []

    def broken_send(self, fail_silently=False):
        calls.append(self.to)
        if len(calls) < 3:
            raise ConnectionRefusedError("mail server down")
        return 1

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    publish(article, name="سامر")

    assert len(calls) == 3
    mail_row = OutgoingMail.objects.get(kind="notify")
    assert mail_row.sent_at is not None and mail_row.attempts == 3

    calls.clear()
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", lambda self, fail_silently=False: calls.append(1) or (_ for _ in ()).throw(OSError("down")))
    publish(article, name="ليلى")
    assert len(calls) == subscription_mail.MAX_ATTEMPTS
    assert OutgoingMail.objects.filter(kind="notify", sent_at__isnull=True).get().attempts == subscription_mail.MAX_ATTEMPTS


def test_unsubscribe_needs_no_same_origin_but_confirm_does(reader, article, client):
    reader.subscribe(article, "huda@example.org")
    path = link_to(django_mail.outbox[0], "/confirm/")

    response = client.post(path, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert not Subscription.objects.get().is_confirmed


def test_mails_ask_for_no_automatic_replies(reader, article, publish):
    confirmed(reader, article, "huda@example.org")
    publish(article, name="سامر")

    assert django_mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"
