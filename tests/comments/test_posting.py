"""Posting comments and replies: what a reader sees with and without JavaScript."""

import datetime
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from minbar.comments.models import Comment, CommentStatus
from minbar.newsroom.models import ArticlePage

from .conftest import JSON, SAME_ORIGIN, form_data, make_comment, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def test_guest_comment_is_published_and_shown_on_the_article(client, article, discussion):
    response = post(client, article)
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert response["Location"].startswith(f"/comments/{comment.pk}/posted/?token=")
    assert "minbar_reader" in response.cookies
    result = client.get(f"/en{response['Location']}").content.decode()
    assert "Your comment is published." in result
    page = client.get(article.url).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "الترميم تأخر كثيرًا" in page
    assert "salma@example.org" not in page


def test_result_page_is_never_cached_and_carries_the_edit_link(client, article, discussion):
    response = post(client, article)
    result = client.get(response["Location"])
    assert "no-store" in result["Cache-Control"] and "private" in result["Cache-Control"]
    assert f'/comments/{Comment.objects.get().pk}/edit/?token=' in result.content.decode()


def test_held_comment_says_it_awaits_moderation_and_stays_hidden(client, article):
    # The site default holds a first-time commenter.
    response = client.post(f"/en/comments/article/{article.pk}/", form_data(), **JSON)
    payload = response.json()
    assert response.status_code == 201 and payload["ok"] and not payload["published"]
    assert "awaiting moderation" in payload["message"]
    assert "html" not in payload
    assert Comment.objects.get().status == CommentStatus.PENDING
    assert "الترميم تأخر" not in client.get(article.url).content.decode()


def test_json_answer_carries_the_rendered_comment_and_an_edit_token(client, article, discussion):
    payload = post(client, article, as_json=True).json()
    comment = Comment.objects.get()
    assert payload["published"] and payload["comment"] == comment.pk
    assert f'id="comment-{comment.pk}"' in payload["html"]
    assert payload["edit_token"] and payload["edit_expires"] > time.time() * 1000


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"text": ""}, "text", "Write your comment"),
        ({"text": "   \n  "}, "text", "Write your comment"),
        ({"author_name": ""}, "author_name", "Write your name"),
        ({"author_name": "\u202e\u200b"}, "author_name", "Write your name"),
        ({"author_email": ""}, "author_email", "e-mail"),
        ({"author_email": "ليس-بريدا"}, "author_email", "name@example.com"),
        ({"author_url": "javascript:alert(1)"}, "author_url", "http"),
        ({"author_url": "ftp://example.org/"}, "author_url", "http"),
        ({"text": "ب" * 5001}, "text", "5000"),
        ({"author_name": "ن" * 81}, "author_name", "80"),
        ({"quote": "ق" * 1001}, "quote", "1000"),
        ({"quote_prefix": "ق" * 65}, "quote_prefix", "65"),
    ],
)
def test_invalid_input_is_refused_with_the_field_named(client, article, discussion, fields, field, words):
    with_english = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}
    response = client.post(f"/en/comments/article/{article.pk}/", form_data(**fields), **with_english)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and any(words in error for error in errors[field]), errors
    assert not Comment.objects.exists()


def test_refused_form_without_javascript_keeps_what_was_typed(client, article, discussion):
    response = post(client, article, text="نص طويل كتبته بعناية <b>مهم</b>", author_email="خطأ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "نص طويل كتبته بعناية &lt;b&gt;مهم&lt;/b&gt;" in page
    assert 'value="سلمى"' in page
    assert 'aria-invalid="true"' in page
    assert "no-store" in response["Cache-Control"]


def test_a_one_megabyte_comment_gets_a_clear_error_quickly(client, article, discussion):
    started = time.monotonic()
    response = post(client, article, as_json=True, text="ك" * 1_000_000)
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert "5000" in response.json()["errors"]["text"][0]


def test_a_body_beyond_the_upload_limit_is_refused_without_being_read(client, article, discussion, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, article, as_json=True, text="ك" * 20_000)
    assert response.status_code == 413
    assert "5000" in response.json()["message"]


def test_text_that_is_not_utf8_is_refused_not_a_server_error(client, article, discussion):
    body = b"text=%FF%FEabc&author_name=%D8%B3&author_email=a%40example.org"
    response = client.post(
        f"/en/comments/article/{article.pk}/", body, content_type="application/x-www-form-urlencoded", **JSON
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["errors"]["text"][0]


def test_names_lose_direction_and_invisible_characters(client, article, discussion):
    post(client, article, author_name="\u202eسلمى\u200f  أحمد\u2066")
    assert Comment.objects.get().author_name == "سلمى أحمد"


def test_website_without_scheme_becomes_https(client, article, discussion):
    post(client, article, author_url="example.org/blog")
    assert Comment.objects.get().author_url == "https://example.org/blog"


def test_signed_in_user_comments_as_themselves(client, article, discussion):
    user = get_user_model().objects.create_user("hana", "hana@example.org", "pw", first_name="هناء", last_name="علي")
    client.force_login(user)
    page = client.get(article.url).content.decode()
    assert 'name="author_email"' not in page and "هناء علي" in page
    response = post(client, article, author_name="", author_email="", text="تعليق من صاحبة حساب")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert (comment.user, comment.author_name, comment.author_email) == (user, "هناء علي", "hana@example.org")


def test_cross_site_post_is_refused(client, article, discussion):
    no_origin = client.post(f"/comments/article/{article.pk}/", form_data())
    other_site = client.post(f"/comments/article/{article.pk}/", form_data(), HTTP_ORIGIN="https://evil.example")
    fetched_cross_site = client.post(f"/comments/article/{article.pk}/", form_data(), HTTP_SEC_FETCH_SITE="cross-site")
    assert {no_origin.status_code, other_site.status_code, fetched_cross_site.status_code} == {403}
    assert not Comment.objects.exists()


def test_screening_refusal_is_shown_and_nothing_is_stored(client, article, discussion):
    response = post(client, article, as_json=True, homepage="http://spam.example")
    assert response.status_code == 403 and not response.json()["ok"] and response.json()["message"]
    assert not Comment.objects.exists()


def test_closed_article_refuses_comments_and_shows_a_notice(client, article, discussion):
    ArticlePage.objects.filter(pk=article.pk).update(comments_open=False)
    page = client.get(article.url).content.decode()
    assert "comments-closed" in page and 'id="comment-text"' not in page
    response = post(client, article, as_json=True)
    assert response.status_code == 403 and not Comment.objects.exists()


def test_comments_close_after_the_configured_days(client, article, discussion):
    discussion.close_after_days = 30
    discussion.save()
    assert post(client, article).status_code == 303
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=31))
    response = post(client, article, as_json=True, text="تعليق متأخر")
    assert response.status_code == 403
    assert Comment.objects.count() == 1
    assert "comments-closed" in client.get(article.url).content.decode()


def test_unpublished_article_takes_no_comments(client, article, discussion):
    ArticlePage.objects.filter(pk=article.pk).update(live=False)
    assert post(client, article).status_code == 404


def test_reply_attaches_below_its_parent(client, article, discussion):
    parent = make_comment(article)
    post(client, article, parent=parent.pk, text="ردّ على التعليق")
    reply = Comment.objects.get(body="ردّ على التعليق")
    assert (reply.parent, reply.depth) == (parent, 2)


def test_reply_to_the_deepest_level_joins_it_and_names_whom_it_answers(client, article, discussion):
    first = make_comment(article, author_name="أ")
    second = make_comment(article, parent=first, author_name="ب")
    third = make_comment(article, parent=second, author_name="ج")
    post(client, article, parent=third.pk, text="أوافقك")
    reply = Comment.objects.get(body__endswith="أوافقك")
    assert (reply.parent, reply.depth, reply.body) == (second, 3, "@ج أوافقك")


def test_reply_depth_follows_the_settings(client, article, discussion):
    discussion.max_depth = 2
    discussion.save()
    first = make_comment(article)
    second = make_comment(article, parent=first, author_name="ب")
    post(client, article, parent=second.pk, text="ردّ")
    assert Comment.objects.get(body="@ب ردّ").parent == first


def test_reply_to_a_held_comment_or_another_article_is_refused(client, article, discussion):
    held = make_comment(article, status=CommentStatus.PENDING)
    assert post(client, article, as_json=True, parent=held.pk).status_code == 403
    assert post(client, article, as_json=True, parent=999999).status_code == 400


def test_reply_page_without_javascript_fills_in_the_parent(client, article, discussion):
    parent = make_comment(article, author_name="ريم")
    page = client.get(f"/comments/{parent.pk}/reply/").content.decode()
    assert f'name="parent" value="{parent.pk}"' in page and "ريم" in page


def test_notify_me_of_replies_subscribes_the_author(client, article, discussion):
    subscribe = mock.Mock()
    with mock.patch("minbar.comments.services._optional", side_effect=lambda module, name: subscribe if name == "subscribe" else None):
        post(client, article, notify_replies="on")
    comment = Comment.objects.get()
    subscribe.assert_called_once()
    assert subscribe.call_args.kwargs["kind"] == "replies_to_me"
    assert subscribe.call_args.kwargs["comment"] == comment
    assert subscribe.call_args.kwargs["email"] == "salma@example.org"


def test_posting_in_kurdish_records_the_language(client, article, discussion):
    client.post(f"/ckb/comments/article/{article.pk}/", form_data(), **SAME_ORIGIN)
    assert Comment.objects.get().language == "ckb"


def test_answer_to_a_passage_question_is_attached_to_it(client, article, discussion):
    from minbar.passages.models import PassageQuestion

    question = PassageQuestion.objects.create(article=article, key="q1", question="هل تأخر الترميم؟", quote="أعمال ترميم السوق القديم")
    post(client, article, question="q1", text="نعم، تأخر")
    post(client, article, question="no-such-question", text="سؤال مختلق")
    assert Comment.objects.get(body="نعم، تأخر").question == question
    assert Comment.objects.get(body="سؤال مختلق").question is None


def test_comment_on_a_selected_passage_keeps_its_anchor(client, article, discussion):
    post(client, article, quote="أعمال ترميم السوق القديم", quote_prefix="أن ", quote_suffix=" تم", quote_position=42)
    comment = Comment.objects.get()
    assert (comment.quote, comment.quote_prefix, comment.quote_suffix, comment.quote_position) == (
        "أعمال ترميم السوق القديم", "أن ", " تم", 42
    )
    assert "أعمال ترميم السوق القديم" in client.get(f"{article.url}?filter=passages").content.decode()
