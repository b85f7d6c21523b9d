"""The whole mail loop through a real SMTP server: confirmation, notification, one-click unsubscribe."""

import re

import pytest

from minbar.subscriptions.models import Subscription

from .conftest import path_of, publish_comment
from .smtp import django_mail_through_smtp, parts_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with django_mail_through_smtp(settings) as catcher:
        yield catcher


def link(text, fragment):
    return next(path_of(url) for url in re.findall(r"https?://\S+", text) if fragment in url)


def test_confirmation_and_notification_arrive_over_smtp(reader, client, article, smtp, django_capture_on_commit_callbacks):
    reader.subscribe(article, "huda@example.org")

    [confirmation] = smtp.wait_for(1)
    assert confirmation["to"] == ["huda@example.org"]
    text, html = parts_of(confirmation["message"])
    assert "/subscriptions/confirm/" in text and "/subscriptions/confirm/" in html
    reader.post(link(text, "/confirm/"))
    assert Subscription.objects.get().is_confirmed

    publish_comment(article, name="سامر", email="samer@example.org", body="تعليق يصل بالبريد.", capture=django_capture_on_commit_callbacks)

    notification = smtp.wait_for(2)[1]["message"]
    assert notification["To"] == "huda@example.org"
    assert article.title in notification["Subject"]
    assert notification["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header is folded on the wire; unfolded, it is one <URL>.
    unsubscribe_url = str(notification["List-Unsubscribe"]).strip().removeprefix("<").removesuffix(">")
    text, html = parts_of(notification)
    assert "تعليق يصل بالبريد." in text and "تعليق يصل بالبريد." in html

    response = client.post(path_of(unsubscribe_url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert len(smtp.messages) == 2
