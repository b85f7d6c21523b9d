"""Screening seen from the reader's side: posting through the comment form, with and without JavaScript."""

import time

import pytest
from django.core import mail

from minbar.comments.models import Comment, CommentStatus
from minbar.moderation.forms import form_timestamp
from minbar.moderation.models import BlockRule

from .conftest import moderator

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def post(client, article, as_json=False, **fields):
    data = {
        "text": "أرجو أن تعود الحركة إلى السوق قريباً.",
        "author_name": "نسرين",
        "author_email": "nasrin@example.org",
        "started": form_timestamp(time.time() - 20),
    }
    data.update(fields)
    headers = {**SAME_ORIGIN, "HTTP_ACCEPT": "application/json"} if as_json else SAME_ORIGIN
    return client.post(f"/en/comments/article/{article.pk}/", data, **headers)


def test_a_robot_filling_the_honeypot_is_refused_and_nothing_is_stored(client, article, discussion):
    response = post(client, article, homepage="https://spam.example")
    assert response.status_code >= 400
    assert "Your comment could not be sent. Please try again." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_form_sent_at_once_is_refused_and_what_was_typed_is_kept(client, article, discussion):
    response = post(client, article, started=form_timestamp())
    html = response.content.decode()
    assert response.status_code >= 400
    assert "Wait a few seconds, then send your comment again." in html
    assert "أرجو أن تعود الحركة إلى السوق قريباً." in html
    assert not Comment.objects.exists()


def test_a_refusal_reaches_a_script_as_json(client, article, discussion):
    response = post(client, article, as_json=True, started="forged")
    body = response.json()
    assert body["ok"] is False and "Wait a few seconds" in body["message"]


def test_a_held_comment_is_stored_pending_with_its_note_and_editors_hear_of_it(
    client, article, discussion, django_user_model, on_commit
):
    moderator(django_user_model, "editor", group="Editors")
    BlockRule.objects.create(kind="word", value="قمار")
    with on_commit():
        response = post(client, article, text="أفضل موقع للقمار على الإنترنت")
    assert response.status_code in (200, 303)
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and "قمار" in comment.moderation_note
    assert [message.to for message in mail.outbox] == [["editor@newsroom.example"]]


def test_a_blocked_sender_is_refused(client, article, discussion):
    BlockRule.objects.create(kind="email", value="@spam.example")
    response = post(client, article, author_email="bot@spam.example")
    assert response.status_code >= 400
    assert "This site does not accept comments from this sender." in response.content.decode()
    assert not Comment.objects.exists()
