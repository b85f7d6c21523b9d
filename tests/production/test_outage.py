"""A database that cannot be reached gets a translated 503 with Retry-After, rendered without it; never a 500.

The database is made unreachable by making every query fail as psycopg
fails when PostgreSQL is stopped ("connection refused"): the page that
answers must then be rendered without a single query. The real outage, on a
real PostgreSQL under load, is tests/production/test_faults.py.
"""

import html
import json
import logging
import time
from contextlib import contextmanager
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connections
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from minbar.comments.models import Comment
from minbar.core import outage
from minbar.moderation.forms import form_timestamp
from minbar.readers import ratelimit
from minbar.settings import environment
from tests.factories import make_article, make_section

READ = "The site cannot reach its database at the moment, so this page cannot be shown. Please try again in a minute."
COMMENT = (
    "Your comment was NOT saved: the site cannot reach its database at the moment. "
    "Keep your text and send it again in a minute."
)
WRITE = "What you sent was NOT saved: the site cannot reach its database at the moment. Please send it again in a minute."
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def said(message, language):
    with translation.override(language):
        return gettext(message)


def refused():
    """What Django raises for a query while PostgreSQL is stopped."""
    error = OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    error.__cause__ = psycopg.OperationalError("connection failed: Connection refused")
    return error


@contextmanager
def database_down():
    wrapper = connections["default"]
    with mock.patch.object(wrapper, "_cursor", side_effect=refused()) as cursor:
        yield cursor


@pytest.fixture
def article(db, settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 0  # the page cache has its own tests of stale copies
    return make_article(make_section(), title="مقال والقاعدة متوقفة")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def body_of(response):
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_a_page_asked_for_while_the_database_is_down_is_a_503_in_the_language_of_its_address(article, client):
    path = article.get_url()
    with database_down() as cursor:
        arabic = client.get(path)
        english = client.get("/en" + path)
    assert cursor.called, "the page did not even try the database"
    assert arabic.status_code == 503 and english.status_code == 503
    assert arabic["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert "no-store" in arabic["Cache-Control"]
    assert said(READ, "ar") in body_of(arabic) and said(READ, "ar") != READ
    assert 'lang="ar" dir="rtl"' in body_of(arabic)
    assert READ in body_of(english) and 'lang="en" dir="ltr"' in body_of(english)
    assert not arabic.cookies


@pytest.mark.django_db
def test_a_comment_sent_while_the_database_is_down_is_refused_as_not_saved_and_nothing_is_stored(article, client):
    fields = {
        "text": "تعليق أثناء العطل",
        "author_name": "سلمى",
        "author_email": "salma@example.org",
        "started": form_timestamp(time.time() - 10),
    }
    with database_down():
        by_script = client.post(f"/comments/article/{article.pk}/", fields, HTTP_ACCEPT="application/json", **SAME_ORIGIN)
        by_form = client.post(f"/en/comments/article/{article.pk}/", fields, HTTP_REFERER="http://testserver/en/", **SAME_ORIGIN)
    assert by_script.status_code == 503 and by_script["Retry-After"]
    assert json.loads(by_script.content) == {"ok": False, "saved": False, "message": said(COMMENT, "ar")}
    assert by_form.status_code == 503
    assert COMMENT in body_of(by_form)
    assert 'href="http://testserver/en/"' in by_form.content.decode(), "no way back to the form"
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_other_writes_are_told_that_what_was_sent_was_not_saved(article, client):
    with database_down():
        response = client.post(
            f"/en/ratings/{article.pk}/", {"score": "5"}, HTTP_ACCEPT="application/json", **SAME_ORIGIN
        )
    assert response.status_code == 503
    assert json.loads(response.content)["message"] == WRITE


@pytest.mark.django_db
def test_a_database_failure_outside_any_view_is_a_503_too(article, client):
    # The old-address lookup runs in a middleware, outside the page cache and the views.
    with mock.patch("minbar.legacy.middleware.LegacyRedirectMiddleware.__call__", side_effect=refused()):
        response = client.get("/en/")
    assert response.status_code == 503
    assert READ in body_of(response)


@pytest.mark.django_db
def test_a_bug_in_a_query_stays_a_server_error(article, client):
    path = article.get_url()
    with mock.patch.object(connections["default"], "_cursor", side_effect=OperationalError("no such column: nope")):
        response = client.get(path)
    assert response.status_code == 500


def wrapped(django_error, cause):
    error = django_error(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (refused(), True),
        (wrapped(OperationalError, psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")), True),
        (wrapped(OperationalError, psycopg.errors.AdminShutdown("terminating connection due to administrator command")), True),
        (wrapped(OperationalError, psycopg.errors.CannotConnectNow("the database system is starting up")), True),
        (wrapped(OperationalError, psycopg.errors.TooManyConnections("sorry, too many clients already")), True),
        (InterfaceError("connection already closed"), True),
        (wrapped(OperationalError, psycopg.errors.SerializationFailure("could not serialize access")), False),
        (wrapped(ProgrammingError, psycopg.errors.UndefinedTable('relation "x" does not exist')), False),
        (OperationalError("no such table: minbar_thing"), False),
        (OperationalError("database is locked"), False),
        (ValueError("not a database error"), False),
    ],
)
def test_which_errors_mean_the_database_cannot_be_reached(error, unavailable):
    assert outage.is_database_unavailable(error) is unavailable


def test_rate_limits_let_readers_through_while_the_cache_cannot_be_reached():
    # django-redis, told to ignore its errors, answers None to add() and incr() while Redis is down.
    with mock.patch.object(ratelimit, "cache") as cache:
        cache.add.return_value = None
        cache.incr.return_value = None
        assert all(ratelimit.allow("comment-network", "reader", limit=1, seconds=60) for _ in range(3))


def test_redis_errors_are_misses_with_short_timeouts(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    options = environment.cache()["OPTIONS"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert options["SOCKET_CONNECT_TIMEOUT"] <= 1 and options["SOCKET_TIMEOUT"] <= 1


def test_a_postgresql_connection_is_checked_before_use_and_gives_up_connecting_within_seconds(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://minbar@db.internal:5432/minbar")
    config = environment.database(tmp_path)
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["connect_timeout"] <= 5


def test_ignored_cache_errors_are_logged_once_a_minute_with_a_count_of_the_rest():
    once = environment.OncePerInterval(60)
    records = [logging.LogRecord("minbar.cache", logging.ERROR, __file__, 1, "Exception ignored", None, None) for _ in range(4)]
    with mock.patch.object(environment.time, "monotonic", side_effect=[1000.0, 1001.0, 1002.0, 1061.0]):
        kept = [record for record in records if once.filter(record)]
    assert [record.getMessage() for record in kept] == [
        "Exception ignored",
        "Exception ignored (2 more like it in the last 60 s not logged)",
    ]
