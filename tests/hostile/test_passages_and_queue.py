"""Passage fields (quote, prefix, suffix, position, question) and the moderation queue, with hostile input."""

import pytest
from django.utils.html import escape

from minbar.comments.models import Comment, CommentStatus
from minbar.passages.models import PassageQuestion
from tests.factories import make_article, make_section
from tests.passages.conftest import PASSAGE, bridge_body

from .conftest import JSON, MARK, SQL, XSS, article_page, assert_inert, post_comment, shown, snapshot, stored

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/comments/comment/"


@pytest.fixture
def bridge(discussion):
    article = make_article(make_section(), title="جسر جديد فوق النهر", body=bridge_body())
    return article, PassageQuestion.objects.get(article=article)


@pytest.mark.parametrize("payload", XSS)
def test_a_hostile_quote_prefix_and_suffix_are_shown_as_text(client, bridge, payload):
    article, _question = bridge
    response = post_comment(client, article, text="تعليق على مقطع", quote=payload, quote_prefix=payload[:64],
                            quote_suffix=payload[-64:], quote_position="3")
    assert response.status_code == 303
    assert Comment.objects.get().quote == payload
    html = article_page(client, article)
    assert_inert(html)
    assert escape(payload) in html or escape(payload).replace("&#x27;", "&#39;") in html
    # Filtered to passage comments, too.
    assert_inert(client.get(article.url, {"filter": "passages"}).content.decode())


@pytest.mark.parametrize("position", ["-1", "abc", "1e3", "2147483648", "1 OR 1=1", "<script>"])
def test_a_forged_position_is_refused_with_the_comment_kept_in_the_form(client, bridge, position):
    article, _question = bridge
    before = snapshot()
    response = post_comment(client, article, text="ملاحظتي على الجملة", quote=PASSAGE, quote_position=position)
    html = response.content.decode()
    assert response.status_code == 400
    assert "ملاحظتي على الجملة" in html and "rana@example.org" in html
    assert shown("Your comment was not posted: please correct what is marked below.") in html
    assert '<ul class="form-message error"><li>' in html  # what is wrong is said, not only that something is
    assert_inert(html)
    assert snapshot() == before


def test_an_overlong_quote_gets_a_translated_error(client, bridge):
    article, _question = bridge
    response = post_comment(client, article, text="ملاحظة", quote="ن" * 1001, language="en")
    assert response.status_code == 400
    assert shown("The selected passage can be at most %(limit_value)d characters long.", "en",
                 limit_value=1000) in response.content.decode()


def test_a_quote_that_is_not_in_the_article_is_shown_as_gone_not_as_markup(client, bridge):
    article, _question = bridge
    post_comment(client, article, text="ملاحظة", quote="<script>alert(7331)</script> مقطع غير موجود", quote_position="5")
    html = article_page(client, article)
    assert_inert(html)
    assert shown("This passage is no longer in the article.") in html or "&lt;script&gt;alert(7331)" in html


@pytest.mark.parametrize("question", ["<script>alert(7331)</script>", "1 OR 1=1", "' OR ''='", "%", "_",
                                      "99999999", "-1", "q1a2b3' --", "A" * 33])
def test_a_forged_question_makes_a_plain_comment_or_a_clear_error(client, bridge, question):
    article, _question = bridge
    response = post_comment(client, article, text="جوابي", question=question)
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        assert Comment.objects.get().question is None
    assert_inert(article_page(client, article))


def test_a_question_of_another_article_is_not_answered_from_this_one(client, bridge):
    article, _question = bridge
    other = make_article(make_section(title="ثقافة", slug="culture"), title="جسر آخر", body=bridge_body(key="z9z9"))
    foreign = PassageQuestion.objects.get(article=other)
    assert post_comment(client, article, text="جوابي", question=str(foreign.pk)).status_code == 303
    assert Comment.objects.get().question is None


def test_a_closed_question_takes_no_answer(client, bridge):
    article, question = bridge
    PassageQuestion.objects.filter(pk=question.pk).update(is_open=False)
    post_comment(client, article, text="جوابي المتأخر", question=question.key)
    assert Comment.objects.get().question is None
    assert client.get(f"/passages/{question.pk}/answer/").status_code == 404


@pytest.mark.parametrize("payload", XSS[:8])
def test_an_answer_to_a_question_is_inert_on_the_article_and_on_the_answer_page(client, bridge, payload):
    article, question = bridge
    response = post_comment(client, article, author_name=payload[:80], text=payload, question=question.key)
    assert response.status_code == 303
    assert Comment.objects.get().question_id == question.pk
    assert_inert(article_page(client, article))
    answer_page = client.get(f"/passages/{question.pk}/answer/")
    assert answer_page.status_code == 200
    assert_inert(answer_page.content.decode())


@pytest.mark.parametrize("path", ["/passages/99999999/answer/", "/passages/0/answer/"])
def test_an_unknown_question_page_is_a_404(client, path):
    assert client.get(path).status_code == 404


# The moderation queue: an editor looks at what readers sent.


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "x"))
    return client


def test_the_queue_shows_hostile_comments_inert(editor, article, discussion, settings):
    from django.test import Client

    settings.MINBAR_COMMENT_RATE_LIMITS = {"network": [(100, 60)], "address": [(100, 60)]}
    discussion.moderation = "all"
    discussion.save()
    reader = Client()
    for number, payload in enumerate(XSS):
        response = post_comment(reader, article, author_name=payload[:80], text=f"{number} {payload}",
                                author_email=f"r{number}@example.org",
                                author_url="https://example.org/\"><script>alert(7331)</script>",
                                quote=payload, quote_prefix=payload[:64])
        assert response.status_code == 303, payload
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == len(XSS)
    urls = [QUEUE, f"{QUEUE}?status=pending", f"{QUEUE}?q={MARK}"]
    urls += [f"{QUEUE}inspect/{pk}/" for pk in Comment.objects.values_list("pk", flat=True)]
    for url in urls:
        page = editor.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert_inert(html)
        assert MARK in html, url


def test_the_queue_search_takes_sql_metacharacters_as_text(editor, article):
    stored(article=article, body="تعليق عن الميزانية", author_name="سامي")
    for number, payload in enumerate(SQL):
        stored(article=article, body=f"نص {payload}", author_name=f"قارئ {number}")
    # A NUL byte in the search is no valid search (the queue then lists everything): no error page.
    assert editor.get(QUEUE, {"q": "\x00"}).status_code == 200
    for payload in SQL + ["%", "_", "\\"]:
        response = editor.get(QUEUE, {"q": payload})
        assert response.status_code == 200, payload
        assert "تعليق عن الميزانية" not in response.content.decode(), repr(payload)
    html = editor.get(QUEUE, {"q": "100%"}).content.decode()
    assert "100% _مؤكد_" in html


def test_the_queue_filters_refuse_forged_values_without_a_500(editor, article):
    stored(article=article)
    for params in ({"status": "<script>"}, {"status": "' OR 1=1"}, {"article": "abc"}, {"ordering": "body'--"},
                   {"p": "-1"}, {"q": "%FF"}):
        response = editor.get(QUEUE, params)
        assert response.status_code in (200, 400, 404), params
        assert_inert(response.content.decode())
