"""Header injection and hostile input: nothing a reader types reaches a mail header unchecked."""

import pytest
from django.core import mail as django_mail
from django.core.mail import BadHeaderError, EmailMessage

from minbar.subscriptions.models import Subscription
from minbar.subscriptions.services import normalize_email

from .conftest import JSON, publish_comment

pytestmark = pytest.mark.django_db

HOSTILE_ADDRESSES = [
    "huda@example.org\r\nBcc: everyone@example.org",
    "huda@example.org\nSubject: free money",
    "huda@example.org, other@example.org",
    "Huda <huda@example.org>",
    "huda@example.org%0d%0aBcc:x@example.org",
    "\u202ehuda@example.org",
    "a" * 250 + "@example.org",
]


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_hostile_addresses_are_refused_and_nothing_is_sent(reader, article, address):
    response = reader.post("/subscriptions/", {"email": address, "notify": "comments", "article": article.pk}, **JSON)

    assert response.status_code == 400 and response.json()["ok"] is False
    assert django_mail.outbox == [] and not Subscription.objects.exists()


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_normalize_refuses_what_could_bend_a_header(address):
    assert normalize_email(address) == ""


def test_djangos_mail_refuses_line_breaks_in_headers_too():
    message = EmailMessage(subject="عنوان\r\nBcc: x@example.org", body="نص", to=["huda@example.org"])
    with pytest.raises(BadHeaderError):
        message.message()


def test_a_commenter_name_with_line_breaks_and_bidi_tricks_stays_out_of_headers(reader, article, django_capture_on_commit_callbacks):
    reader.subscribe(article, "huda@example.org")
    reader.confirm("huda@example.org")
    django_mail.outbox.clear()

    publish_comment(
        article,
        name="سامر\r\nBcc: everyone@example.org\u202e",
        body="<script>alert(1)</script>",
        capture=django_capture_on_commit_callbacks,
    )

    [message] = django_mail.outbox
    raw = message.message().as_string()
    assert "Bcc" not in raw.split("\n\n", 1)[0]
    assert message.to == ["huda@example.org"] and not message.bcc
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\u202e" not in message.body


def test_an_article_title_with_line_breaks_makes_a_one_line_subject(reader, article, django_capture_on_commit_callbacks):
    from minbar.newsroom.models import ArticlePage

    ArticlePage.objects.filter(pk=article.pk).update(title="عنوان\r\nBcc: x@example.org")
    reader.subscribe(article, "huda@example.org")
    reader.confirm("huda@example.org")
    django_mail.outbox.clear()

    publish_comment(article, name="سامر", capture=django_capture_on_commit_callbacks)

    [message] = django_mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    message.message()  # builds without BadHeaderError
