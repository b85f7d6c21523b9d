"""Comment posts, replies and edits through the real views: XSS, bidi, SQL metacharacters, size, encoding."""

import datetime

import pytest
from django.utils import timezone
from django.conf import settings

from minbar.comments.models import Comment, CommentStatus
from minbar.comments.services import edit_token_for

from .conftest import (
    BIDI,
    JSON,
    MARK,
    SAME_ORIGIN,
    SQL,
    XSS,
    HOSTILE_URLS,
    article_page,
    assert_inert,
    comment_links_are_safe,
    elements,
    live_markup,
    post_comment,
    shown,
    snapshot,
    stored,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_name_and_body_is_shown_as_text_on_the_article_page(client, article, payload):
    response = post_comment(client, article, author_name=payload[:80], text=f"بداية التعليق\n{payload}\nنهايته")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.APPROVED and payload in comment.body

    html = article_page(client, article)
    assert_inert(html)
    comment_links_are_safe(html)
    assert "نهايته" in html
    # The result page after posting (no JavaScript) too.
    assert_inert(client.get(response["Location"]).content.decode())
    # With JavaScript: the comment's HTML in the JSON answer.
    response = post_comment(client, article, as_json=True, author_name=payload[:80], text=f"{payload} ثانية",
                            author_email="rana2@example.org")
    assert response.status_code == 201
    assert_inert(response.json()["html"])


@pytest.mark.parametrize("website", HOSTILE_URLS + XSS)
def test_a_hostile_website_never_becomes_a_live_link(client, article, website):
    earlier = stored(article=article)
    response = post_comment(client, article, author_url=website, text="تعليق مع موقع")
    html = response.content.decode() if response.status_code != 303 else article_page(client, article)
    assert_inert(html)
    comment_links_are_safe(html)
    if response.status_code != 303:
        # Refused: a translated error, and the rest of what was typed is kept in the form.
        assert response.status_code == 400
        assert shown("Enter a website address starting with http:// or https://.") in html
        assert "تعليق مع موقع" in html and "rana@example.org" in html
    for tag, attrs, _raw in elements(article_page(client, article)):
        if tag == "a" and attrs.get("rel") == "nofollow ugc noopener" and "comment" not in (attrs.get("class") or ""):
            assert attrs["href"].startswith(("http://", "https://"))
    assert Comment.objects.filter(pk=earlier.pk, body="تعليق سابق محفوظ").exists()


def test_links_in_a_body_are_http_only_and_nofollow(client, article):
    body = (
        "مصادر: https://example.org/a?b=1&c=<x> و javascript:alert(7331) و "
        "data:text/html,7331 و http://example.net/7331\"onmouseover=alert(7331)"
    )
    post_comment(client, article, text=body)
    html = article_page(client, article)
    assert_inert(html)
    comment_links_are_safe(html)
    hrefs = [attrs["href"] for tag, attrs, _ in elements(html) if tag == "a" and attrs.get("rel") == "nofollow ugc noopener"]
    assert "https://example.org/a?b=1&c=" in hrefs and "http://example.net/7331" in hrefs


@pytest.mark.parametrize("control", BIDI)
def test_direction_and_invisible_characters_are_gone_from_names_and_contained_in_bodies(client, article, control):
    name = f"سعاد{control}gpj.exe"
    body = f"نص{control}txt.exe فيه اتجاه معكوس"
    assert post_comment(client, article, author_name=name, text=body).status_code == 303
    comment = Comment.objects.get()
    assert comment.author_name == "سعادgpj.exe"
    html = article_page(client, article)
    assert control not in html.split('class="comment-body"')[0].split('id="comments"')[-1]
    # A body keeps the character (mixed Arabic/Latin text needs it) inside an isolating dir="auto" box.
    for tag, attrs, _raw in elements(html):
        if "comment-body" in (attrs.get("class") or ""):
            assert attrs.get("dir") == "auto"
        if "comment-author" in (attrs.get("class") or ""):
            assert tag == "bdi"


def test_bidi_controls_in_a_name_do_not_reach_the_moderation_queue_either(client, article, admin_client):
    post_comment(client, article, author_name="\u202eنادر\u2066", text="تعليق فيه اسم ملتبس")
    html = admin_client.get("/admin/snippets/comments/comment/").content.decode()
    assert "نادر" in html and "\u202eنادر" not in html


@pytest.mark.parametrize("payload", SQL)
def test_sql_metacharacters_are_stored_and_shown_literally(client, article, payload):
    earlier = stored(article=article)
    response = post_comment(client, article, author_name=f"أ{payload}"[:80], text=f"قال: {payload}")
    assert response.status_code == 303
    comment = Comment.objects.exclude(pk=earlier.pk).get()
    literal = payload
    assert comment.body == f"قال: {literal}" and comment.author_name == f"أ{payload}"[:80]
    assert Comment.objects.filter(pk=earlier.pk).exists() and Comment.objects.count() == 2
    html = article_page(client, article)
    from django.utils.html import escape

    assert escape(f"قال: {literal}") in html


@pytest.mark.parametrize("field", ["text", "author_name", "author_email", "author_url"])
def test_a_nul_byte_gets_a_translated_error_and_the_rest_is_kept(client, article, field):
    earlier = stored(article=article)
    values = {"text": "نص سليم", "author_name": "هادي", "author_email": "hadi@example.org", "author_url": ""}
    values[field] = (values[field] or "https://example.org/") + "\x00'; DROP TABLE x; --"
    response = post_comment(client, article, **values)
    html = response.content.decode()
    assert response.status_code == 400
    assert shown("Null characters are not allowed.") in html or (
        field == "author_email" and shown("Enter an e-mail address such as name@example.com.") in html
    )
    assert "نص سليم" in html or field == "text"
    assert Comment.objects.get().pk == earlier.pk


@pytest.mark.parametrize("language, message_language", [("", "ar"), ("en", "en"), ("ckb", "ckb")])
def test_a_one_megabyte_body_gets_a_translated_error_and_keeps_the_name(client, article, language, message_language):
    earlier = stored(article=article)
    before = snapshot()
    response = post_comment(client, article, language=language, text="ب" * 1_000_000, author_name="ليلى")
    html = response.content.decode()
    # Over the form's limit but under Django's: the form comes back with the reader's other input.
    assert response.status_code in (400, 413)
    assert "ليلى" in html or response.status_code == 413
    assert shown("Your comment is far too long: a comment can be at most %(limit)d characters.", message_language,
                 limit=5000) in html or shown(
        "A comment can be at most %(limit_value)d characters long (it has %(show_value)d).",
        message_language, limit_value=5000, show_value=1_000_000) in html
    assert snapshot() == before and Comment.objects.filter(pk=earlier.pk).exists()


@pytest.mark.parametrize("language", ["", "en"])
def test_a_body_over_djangos_upload_limit_is_refused_with_a_translated_message(client, article, language):
    before = snapshot()
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10
    response = post_comment(client, article, language=language, text="x" * size)
    html = response.content.decode()
    assert response.status_code == 413
    assert shown("Your comment is far too long: a comment can be at most %(limit)d characters.",
                 language or "ar", limit=5000) in html
    assert snapshot() == before
    response = post_comment(client, article, language=language, as_json=True, text="x" * size)
    assert response.status_code == 413 and response.json()["ok"] is False


def _raw_post(client, path, body, **headers):
    return client.generic("POST", path, body, content_type="application/x-www-form-urlencoded", **headers)


def test_invalid_utf8_in_a_comment_gets_a_clear_error_not_a_500(client, article):
    import time

    from minbar.moderation.forms import form_timestamp

    started = form_timestamp(time.time() - 10)
    body = b"author_name=%D8%B1%D9%86%FF&author_email=r%40example.org&text=%D9%86%D8%B5%C3%28&started=" + started.encode()
    response = _raw_post(client, f"/comments/article/{article.pk}/", body, **SAME_ORIGIN)
    assert response.status_code == 400
    assert shown("Part of this text could not be read (it was not sent as UTF-8). Please type it again.") in (
        response.content.decode()
    )
    assert not Comment.objects.exists()
    # Raw bytes that are not UTF-8 at all, not even percent-encoded.
    response = _raw_post(client, f"/comments/article/{article.pk}/", b"text=\xff\xfe\xfd&author_name=\xc3", **SAME_ORIGIN)
    assert response.status_code == 400 and not Comment.objects.exists()


def test_invalid_utf8_in_the_query_string_is_no_500(client, article):
    stored(article=article)
    for path in (article.url + "?order=%FF%FE", article.url + "?comment=%C3%28", "/comments/1/posted/?token=%FF"):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path


@pytest.mark.parametrize("payload", XSS[:6] + ["\u202eمعكوس"])
def test_a_reply_with_a_payload_is_inert_and_its_parent_intact(client, article, payload):
    parent = stored(article=article, body="تعليق أصلي", author_name=payload[:80].replace("\u202e", ""))
    response = post_comment(client, article, parent=parent.pk, author_name=payload[:80], text=payload)
    assert response.status_code == 303
    reply = Comment.objects.get(parent=parent)
    assert reply.depth == 2
    assert_inert(article_page(client, article))
    # The no-script reply form quotes the parent's author.
    assert_inert(client.get(f"/comments/{parent.pk}/reply/").content.decode())
    parent.refresh_from_db()
    assert parent.body == "تعليق أصلي"


@pytest.mark.parametrize("parent", ["-1", "0", "99999999", "1 OR 1=1", "١", "2147483648", "<script>"])
def test_a_forged_parent_is_refused_with_the_input_kept(client, article, parent):
    before = snapshot()
    response = post_comment(client, article, parent=parent, text="ردي المهم")
    html = response.content.decode()
    assert response.status_code == 400
    assert "ردي المهم" in html and "rana@example.org" in html
    assert_inert(html)
    assert snapshot() == before


def test_a_reply_to_a_comment_of_another_article_is_refused(client, article):
    from tests.factories import make_article, make_section

    other = make_article(make_section(title="رياضة", slug="sport"), title="مباراة الأمس")
    foreign = stored(article=other)
    response = post_comment(client, article, parent=foreign.pk, text="رد في غير مكانه")
    assert response.status_code == 400
    assert shown("The comment you are replying to is no longer available.") in response.content.decode()
    assert not Comment.objects.filter(parent=foreign).exists()


@pytest.mark.parametrize("payload", XSS[::2])
def test_an_edit_with_a_payload_is_inert_on_the_page_and_in_the_json(client, article, payload):
    comment = stored(article=article, created_at=timezone.now() - datetime.timedelta(minutes=1))
    token = edit_token_for(comment)
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "text": payload}, **SAME_ORIGIN)
    assert response.status_code == 303
    assert_inert(article_page(client, article))
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "text": payload + " 2"}, **JSON)
    assert response.status_code == 200
    assert_inert(response.json()["body_html"])
    # The edit form shows the text inside its textarea, still inert (</textarea> cannot close it).
    assert_inert(client.get(f"/comments/{comment.pk}/edit/", {"token": token}).content.decode())


@pytest.mark.parametrize("token", ["", "x", "1:abc:def", "<script>alert(7331)</script>", "A" * 5000, "%FF"])
def test_a_forged_edit_token_changes_nothing(client, article, token):
    comment = stored(article=article)
    for action in ("", "delete"):
        response = client.post(f"/comments/{comment.pk}/edit/", {"token": token, "text": "تغيير", "action": action},
                               **SAME_ORIGIN)
        assert response.status_code == 403
        html = response.content.decode()
        assert shown("This comment can no longer be changed: the time to edit it has passed, or the link is not valid.") in html
        assert_inert(html)
    comment.refresh_from_db()
    assert comment.body == "تعليق سابق محفوظ" and comment.status == CommentStatus.APPROVED


def test_a_token_for_one_comment_does_not_edit_another(client, article):
    mine, theirs = stored(article=article), stored(article=article, body="تعليق غيري")
    response = client.post(f"/comments/{theirs.pk}/edit/", {"token": edit_token_for(mine), "action": "delete"},
                           **SAME_ORIGIN)
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == CommentStatus.APPROVED


def test_an_edit_too_large_is_refused_and_the_comment_kept(client, article):
    comment = stored(article=article)
    response = client.post(f"/comments/{comment.pk}/edit/", {"token": edit_token_for(comment), "text": "ت" * 6000},
                           **SAME_ORIGIN)
    assert response.status_code == 400
    assert shown("A comment can be at most %(limit_value)d characters long (it has %(show_value)d).",
                 limit_value=5000, show_value=6000) in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "تعليق سابق محفوظ"


def test_every_payload_at_once_leaves_the_page_inert(client, article, settings):
    settings.MINBAR_COMMENT_RATE_LIMITS = {"network": [(100, 60)], "address": [(100, 60)]}
    for number, payload in enumerate(XSS):
        assert post_comment(client, article, author_name=payload[:80], text=f"{number} {payload}",
                            author_email=f"r{number}@example.org").status_code == 303
    html = article_page(client, article)
    assert live_markup(html) == [] and html.count(MARK) >= len(XSS)


def test_the_checker_itself_finds_live_markup():
    assert live_markup('<p>&lt;script&gt;alert(7331)&lt;/script&gt;</p><a href="https://x.org/7331">x</a>') == []
    for live in ("<script>alert(7331)</script>", '<img src=x onerror="alert(7331)">', '<a href="javascript:alert(7331)">',
                 '<div style="x:expression(alert(7331))">', "<iframe srcdoc='7331'>", '<p data-7331="">'):
        assert live_markup(live) != [], live
