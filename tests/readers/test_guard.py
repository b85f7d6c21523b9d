"""The same-origin check that stands in for CSRF tokens on cached reader pages."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from minbar.readers.guard import same_origin_post


@same_origin_post
def accept(request):
    return HttpResponse("accepted")


@pytest.fixture
def post():
    factory = RequestFactory()
    return lambda **headers: accept(factory.post("/comments/", {"text": "مرحبا"}, **headers))


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/ar/news/article/"},
        {"HTTP_ORIGIN": "null", "HTTP_REFERER": "http://testserver/ar/"},
    ],
)
def test_a_post_from_our_own_pages_is_accepted(post, headers):
    response = post(**headers)
    assert response.status_code == 200 and response.content == b"accepted"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/?http://testserver/"},
        {"HTTP_REFERER": "javascript://testserver/"},
        {"HTTP_ORIGIN": "http://testserver:8080"},
    ],
)
@pytest.mark.django_db
def test_a_cross_site_or_anonymous_post_is_refused_with_a_translated_page(post, headers):
    with translation.override("en"):
        response = post(**headers)
    assert response.status_code == 403
    assert b"accepted" not in response.content
    assert "This form can only be sent from a page of this site." in response.content.decode()


def test_reading_is_never_refused():
    response = accept(RequestFactory().get("/comments/", HTTP_ORIGIN="https://evil.example"))
    assert response.status_code == 200


def test_the_guarded_view_needs_no_csrf_token():
    # A cached page carries no token: the guard, not Django's CSRF check, protects the form.
    assert getattr(accept, "csrf_exempt", False)
