"""The interface language comes from the URL alone."""

import pytest

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "language", "direction"),
    [("", "ar", "rtl"), ("/ckb", "ckb", "rtl"), ("/en", "en", "ltr")],
)
def test_url_prefix_sets_language_and_direction(client, prefix, language, direction):
    article = make_article(make_section())
    html = client.get(prefix + article.url).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_cookies_and_accept_language_do_not_change_the_language(client):
    article = make_article(make_section())
    client.cookies["django_language"] = "en"
    response = client.get(article.url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_arabic_has_no_prefix(client):
    article = make_article(make_section())
    assert not article.url.startswith(("/ar/", "/en/", "/ckb/"))
    assert client.get("/ar" + article.url).status_code == 404
