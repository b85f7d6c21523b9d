"""Oversized bodies and bytes that are not UTF-8, on every discussion endpoint: an answer, never a 500."""

import re

import pytest
from django.conf import settings

from minbar.comments.services import edit_token_for
from minbar.subscriptions import mydata
from minbar.subscriptions.models import Subscription

from .conftest import SAME_ORIGIN, shown, snapshot, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def paths(article):
    comment = stored(article=article, author_email="earlier@example.org")
    return [
        f"/comments/article/{article.pk}/",
        f"/comments/{comment.pk}/edit/",
        f"/comments/{comment.pk}/vote/",
        f"/ratings/{article.pk}/",
        "/subscriptions/",
        "/subscriptions/mine/",
        f"/subscriptions/mine/{mydata.new_access_token('earlier@example.org')}/",
    ]


def raw_post(client, path, body):
    return client.generic("POST", path, body, content_type="application/x-www-form-urlencoded", **SAME_ORIGIN)


def test_a_body_over_the_upload_limit_is_refused_everywhere_and_nothing_changes(client, paths):
    before = (snapshot(), Subscription.objects.count())
    body = b"text=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b"&score=5&value=up&action=all"
    for path in paths:
        response = raw_post(client, path, body)
        assert 400 <= response.status_code < 500, path
        assert_told_in_arabic(response, path)
    assert (snapshot(), Subscription.objects.count()) == before


def assert_told_in_arabic(response, path):
    """The refusal is a page (or JSON) of the site in Arabic, not Django's bare English "Bad Request"."""
    text = response.content.decode()
    assert "Bad Request" not in text, f"{path}: Django's untranslated page"
    main = re.search(r"<main.*?</main>", text, re.DOTALL)
    words = re.sub(r"<[^>]+>", " ", main.group(0) if main else text)
    assert re.search(r"[\u0621-\u064a]{3,}", words), f"{path}: no Arabic reason in {words[:300]!r}"
    assert not re.search(r"\b(too large|too many|could not)\b", words), f"{path}: English left in {words[:300]!r}"


def test_too_many_fields_are_refused_without_a_500(client, paths):
    before = snapshot()
    body = "&".join(f"f{number}=1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)).encode()
    for path in paths:
        response = raw_post(client, path, body)
        assert 400 <= response.status_code < 500, path
        assert_told_in_arabic(response, path)
    assert snapshot() == before


def test_bytes_that_are_not_utf8_get_a_translated_answer(client, article, paths):
    before = (snapshot(), Subscription.objects.count())
    response = raw_post(client, f"/ratings/{article.pk}/", b"score=%FF")
    assert response.status_code == 400
    assert shown("A rating is a whole number of stars from one to five.") in response.content.decode()
    response = raw_post(client, "/subscriptions/", f"email=n%FFda@example.org&notify=comments&article={article.pk}".encode())
    assert response.status_code == 400
    assert shown("Enter a valid e-mail address.") in response.content.decode()
    response = raw_post(client, paths[2], b"value=u%FFp")
    assert response.status_code == 403
    assert shown("Choose a vote: up or down.") in response.content.decode()
    for path in paths:
        assert raw_post(client, path, b"\xff\xfe=\xc3\x28&text=\xe2\x82").status_code < 500, path
    assert (snapshot(), Subscription.objects.count()) == before


def test_an_edit_with_bytes_that_are_not_utf8_keeps_the_comment(client, article):
    comment = stored(article=article)
    body = f"token={edit_token_for(comment)}&text=%D9%86%FF".encode()
    response = raw_post(client, f"/comments/{comment.pk}/edit/", body)
    assert response.status_code == 400
    assert shown("Part of this text could not be read (it was not sent as UTF-8). Please type it again.") in (
        response.content.decode())
    comment.refresh_from_db()
    assert comment.body == "تعليق سابق محفوظ"


def test_query_strings_that_are_not_utf8_are_no_500(client, article, paths):
    comment = stored(article=article)
    gets = [article.url, f"/comments/{comment.pk}/reply/", f"/comments/{comment.pk}/posted/",
            f"/comments/{comment.pk}/edit/", "/subscriptions/mine/", paths[-1], "/en" + article.url]
    for path in gets:
        for query in ("order=%FF%FE", "token=%C3%28", "comment=%E2%82", "filter=%80&all=%FF", "%FF=%FF"):
            response = client.get(f"{path}?{query}")
            assert response.status_code in (200, 400, 403, 404), (path, query)


@pytest.mark.parametrize("number", ["²", "①", "<script>alert(7331)</script>", "1 OR 1=1", "-1", "9" * 40, "%FF", "١"])
def test_odd_digits_in_article_and_comment_numbers_are_no_500(client, article, number):
    comment = stored(article=article)
    from .conftest import assert_inert

    for query in (f"article={number}&comment={comment.pk}", f"article={article.pk}&comment={number}"):
        response = client.get(f"/subscriptions/?{query}")
        assert response.status_code in (200, 404), query
        assert_inert(response.content.decode())
    response = client.post("/subscriptions/", {"email": "nada@example.org", "notify": "comments", "article": number},
                           **SAME_ORIGIN)
    assert response.status_code in (200, 400), number
    assert_inert(response.content.decode())
