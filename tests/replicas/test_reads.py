"""Where requests read and write when a replica is configured, counted query by query."""

import contextlib
import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test.utils import CaptureQueriesContext

from minbar.comments.models import Comment
from minbar.replicas import router
from tests.comments.conftest import form_data, post
from tests.concurrency.support import article_path
from tests.factories import make_article, make_section

from .conftest import ALIAS, REPLICA_DB

pytestmark = [REPLICA_DB, pytest.mark.usefixtures("replica_alias")]

PIN = router.DEFAULT_PIN_COOKIE_NAME


@contextlib.contextmanager
def counted(replica_alias=ALIAS):
    """The SQL each database ran inside the block: {"primary": [...], "replica": [...]}."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[replica_alias]) as replica,
    ):
        ran = {"primary": [], "replica": []}
        yield ran
    ran["primary"] = [query["sql"] for query in primary.captured_queries]
    ran["replica"] = [query["sql"] for query in replica.captured_queries]


@pytest.fixture
def article(shared_database):
    return make_article(make_section(title="شؤون المدينة"), title="السوق القديم بعد الترميم")


def test_a_reader_article_page_reads_only_the_replica_and_sets_no_cookie(replica, client, article):
    path = article_path(article)
    with counted() as ran:
        response = client.get(path)
    assert response.status_code == 200 and "السوق القديم بعد الترميم" in response.content.decode()
    assert ran["replica"] and ran["primary"] == []
    assert not response.cookies


def test_a_comment_is_written_on_the_primary_and_its_writer_reads_the_primary_until_the_pin_expires(
    replica, client, article, discussion
):
    with counted() as ran:
        response = post(client, article)
    assert response.status_code == 303
    assert any(sql.startswith("INSERT") and "comments_comment" in sql for sql in ran["primary"])
    assert ran["replica"] == []
    pin = response.cookies[PIN]
    assert pin.value == "1" and pin["max-age"] == 10
    assert pin["httponly"] and pin["samesite"] == "Lax" and not pin["secure"]

    # The writer's next pages: the result page and the article, with the new comment.
    with counted() as ran:
        result = client.get(response["Location"])
        page = client.get(article.url)
    assert result.status_code == 200 and page.status_code == 200
    assert "الترميم تأخر كثيرًا" in page.content.decode()
    assert ran["primary"] and ran["replica"] == []
    assert PIN not in result.cookies and PIN not in page.cookies

    # MINBAR_REPLICA_PIN_SECONDS later the browser has dropped the cookie (Max-Age): the replica again.
    del client.cookies[PIN]
    with counted() as ran:
        page = client.get(article.url)
    assert "الترميم تأخر كثيرًا" in page.content.decode()
    assert ran["replica"] and ran["primary"] == []


def test_the_pin_cookie_is_secure_over_https_and_lasts_the_configured_seconds(
    replica, client, article, discussion, settings
):
    settings.MINBAR_REPLICA_PIN_SECONDS = 30
    response = client.post(
        f"/comments/article/{article.pk}/", form_data(), secure=True, HTTP_ORIGIN="https://testserver"
    )
    assert response.status_code == 303
    pin = response.cookies[PIN]
    assert pin["secure"] and pin["max-age"] == 30


def test_a_refused_comment_writes_nothing_and_sets_no_pin_cookie(replica, client, article, discussion):
    with counted() as ran:
        response = client.post(
            f"/en/comments/article/{article.pk}/", form_data(text=""), HTTP_ORIGIN="http://testserver"
        )
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert PIN not in response.cookies
    assert not any(sql.startswith(("INSERT", "UPDATE", "DELETE")) for sql in ran["primary"])
    assert ran["replica"] == []


def test_editors_read_the_primary_on_reader_pages_and_in_the_admin(replica, client, article):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "secret")
    client.force_login(editor)
    path = article_path(article)
    with counted() as ran:
        page = client.get(path)
        admin = client.get("/admin/")
    assert page.status_code == 200 and admin.status_code == 200
    assert ran["primary"] and ran["replica"] == []


def test_a_replica_that_cannot_be_reached_leaves_readers_on_the_primary_with_one_warning_a_minute(
    unreachable_replica, client, article, caplog, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(router, "_clock", lambda: now[0])
    caplog.set_level(logging.WARNING, logger="minbar.replicas")

    def warnings():
        return [record for record in caplog.records if record.name == "minbar.replicas"]

    with CaptureQueriesContext(connections["default"]) as primary:
        first = client.get(article_path(article))
    assert first.status_code == 200 and "السوق القديم بعد الترميم" in first.content.decode()
    assert primary.captured_queries
    assert len(warnings()) == 1 and ALIAS in warnings()[0].getMessage()

    # Tried again after a few seconds, still down: the page is still served, the log stays quiet.
    for seconds in (1, 2, 10, 30):
        now[0] = 1000.0 + seconds
        assert client.get(article_path(article)).status_code == 200
    assert len(warnings()) == 1
    # A minute on, one more warning tells the operator it is still down.
    now[0] = 1000.0 + 61
    assert client.get(article_path(article)).status_code == 200
    assert len(warnings()) == 2


def test_a_pinned_writer_is_never_answered_from_the_page_cache(replica, client, article, discussion, settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 300
    path = article_path(article)
    client.get(path)
    assert client.get(path)["X-Cache"] == "hit"
    response = post(client, article)
    assert PIN in response.cookies
    with counted() as ran:
        page = client.get(path)
    assert page.get("X-Cache") != "hit" and "الترميم تأخر كثيرًا" in page.content.decode()
    assert ran["primary"] and ran["replica"] == []
