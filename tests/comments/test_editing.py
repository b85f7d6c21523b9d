"""Editing and deleting one's own comment without an account, with the signed token from posting."""

import datetime

import pytest
from django.core import signing
from django.utils import timezone

from minbar.comments.models import Comment, CommentStatus
from minbar.comments.services import EDIT_TOKEN_SALT

from .conftest import JSON, SAME_ORIGIN, make_comment, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def _posted(client, article, **fields):
    payload = post(client, article, as_json=True, **fields).json()
    # Posted a minute ago: an edit sent the instant after posting would look like a robot's.
    Comment.objects.filter(pk=payload["comment"]).update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    return Comment.objects.get(pk=payload["comment"]), payload["edit_token"]


def test_author_edits_within_the_window_without_javascript(client, article, discussion):
    comment, token = _posted(client, article)
    form = client.get(f"/comments/{comment.pk}/edit/?token={token}")
    assert form.status_code == 200 and "الترميم تأخر كثيرًا" in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "text": "رأي معدّل"}, **SAME_ORIGIN)
    assert response.status_code == 303 and response["Location"].endswith(f"?comment={comment.pk}#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "رأي معدّل" and comment.edited_at is not None
    assert "رأي معدّل" in client.get(article.url).content.decode()


def test_edit_with_javascript_answers_with_the_new_text(client, article, discussion):
    comment, token = _posted(client, article)
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "text": "نص <b>جديد</b>"}, **JSON)
    assert response.json()["ok"] and response.json()["body_html"] == "<p>نص &lt;b&gt;جديد&lt;/b&gt;</p>"


def test_edit_after_the_window_is_refused(client, article, discussion):
    comment, token = _posted(client, article)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "text": "متأخر"}, **SAME_ORIGIN)
    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body != "متأخر"


def test_expired_token_is_refused(client, article, discussion, monkeypatch):
    comment, token = _posted(client, article)
    monkeypatch.setattr("minbar.comments.services.edit_window_seconds", lambda: -1)
    assert client.get(f"/comments/{comment.pk}/edit/?token={token}").status_code == 403


def test_forged_and_borrowed_tokens_are_refused(client, article, discussion):
    comment, token = _posted(client, article)
    other = make_comment(article, reader_key="someone-else")
    forged = signing.dumps({"c": comment.pk, "r": comment.reader_key}, salt="another.purpose")
    hand_made = signing.dumps({"c": other.pk, "r": "guess"}, salt=EDIT_TOKEN_SALT)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for candidate, target in [(forged, comment), (tampered, comment), (hand_made, other), (token, other), ("", comment)]:
        response = client.post(f"/comments/{target.pk}/edit/", {"token": candidate, "text": "اختراق"}, **SAME_ORIGIN)
        assert response.status_code == 403
    assert not Comment.objects.filter(body="اختراق").exists()


def test_author_deletes_own_comment(client, article, discussion):
    comment, token = _posted(client, article)
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "action": "delete"}, **SAME_ORIGIN)
    assert response.status_code == 303
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_a_comment_with_replies_keeps_a_placeholder(client, article, discussion):
    comment, token = _posted(client, article)
    make_comment(article, parent=comment)
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "action": "delete"}, **JSON)
    assert response.json()["deleted"]
    comment.refresh_from_db()
    assert comment.status == CommentStatus.DELETED and comment.body == ""


def test_edited_text_is_screened_again(client, article, discussion, monkeypatch):
    from minbar.moderation.services import Screening

    comment, token = _posted(client, article)
    monkeypatch.setattr(
        "minbar.moderation.services.screen", lambda submission: Screening(status=CommentStatus.PENDING, note="links")
    )
    client.post(f"/comments/{comment.pk}/edit/", {"token": token, "text": "روابط كثيرة"}, **SAME_ORIGIN)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert "روابط كثيرة" not in client.get(article.url).content.decode()


def test_cross_site_edit_is_refused(client, article, discussion):
    comment, token = _posted(client, article)
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "action": "delete"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and Comment.objects.filter(pk=comment.pk).exists()
