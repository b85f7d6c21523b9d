"""A write that waits too long for SQLite's lock gets a translated "busy" answer, not a server error."""

import pytest
from django.db import OperationalError

from minbar.comments import views as comment_views
from tests.comments.conftest import form_data
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_article(db):
    return make_article(make_section(), title="مقال في ساعة ازدحام")


@pytest.fixture
def locked_database(monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(comment_views.services, "post_comment", locked)


def post(client, path, **headers):
    return client.post(path, form_data(), HTTP_ORIGIN="http://testserver", **headers)


def test_a_form_post_gets_503_with_retry_after_and_an_arabic_message(client, locked_database, published_article):
    response = post(client, f"/comments/article/{published_article.pk}/", HTTP_REFERER=f"http://testserver{published_article.url}")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "لم يُحفظ شيء" in page
    assert f'href="http://testserver{published_article.url}"' in page


def test_a_script_gets_json_in_the_interface_language(client, locked_database, published_article):
    response = post(client, f"/en/comments/article/{published_article.pk}/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json() == {
        "ok": False,
        "message": "The site is very busy right now and could not save this. "
        "Nothing was saved: please send it again in a few seconds.",
    }


def test_a_foreign_referer_is_not_offered_as_the_way_back(client, locked_database, published_article):
    response = post(client, f"/comments/article/{published_article.pk}/", HTTP_REFERER="https://evil.example/x")
    assert response.status_code == 503
    assert "evil.example" not in response.content.decode()


def test_other_database_errors_are_not_disguised(client, monkeypatch, published_article):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: comments_comment")

    monkeypatch.setattr(comment_views.services, "post_comment", broken)
    client.raise_request_exception = True
    with pytest.raises(OperationalError):
        post(client, f"/comments/article/{published_article.pk}/")
