"""The count and the average stay exact, however the ratings arrive."""

import random
import sqlite3
import threading

import pytest
from django.db import close_old_connections, connection, connections
from django.db.models import Count, Sum

from minbar.ratings import services
from minbar.ratings.models import Rating, RatingSummary
from minbar.readers.identity import Reader
from minbar.settings.environment import SQLITE_OPTIONS
from tests.factories import make_article, make_section


def _reader(n):
    return Reader(token=f"reader-token-{n:06d}-xxxxxxxx", ip_hash=f"network-{n}")


def _stored(article):
    summary = RatingSummary.objects.get(article=article)
    return summary.count, summary.total


def _recounted(article):
    totals = Rating.objects.filter(article=article).aggregate(count=Count("pk"), total=Sum("score"))
    return totals["count"], totals["total"] or 0


@pytest.fixture
def no_rate_limit(settings):
    settings.MINBAR_RATINGS_PER_MINUTE = 1_000_000


@pytest.mark.django_db
def test_many_sequential_ratings_and_changes(no_rate_limit):
    article = make_article(make_section())
    chooser = random.Random(7)
    expected = {}
    for step in range(400):
        reader = chooser.randrange(150)  # some readers come back and change their rating
        score = chooser.randint(1, 5)
        services.rate(article, _reader(reader), score)
        expected[reader] = score
    assert _stored(article) == (len(expected), sum(expected.values()))
    assert _stored(article) == _recounted(article)


@pytest.fixture
def threads_database(tmp_path):
    """Let new threads' connections use the database as the site runs it.

    The SQLite test database lives in memory with a shared cache, where
    concurrent writers fail at once ("table is locked") instead of queueing
    as they do in the site's file database (WAL, IMMEDIATE transactions,
    busy timeout). So, on SQLite, the prepared database is copied to a file
    and the threads' connections open that file with the site's options.
    PostgreSQL needs nothing: threads there are the real thing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "minbar.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    configured = connections.settings["default"]
    saved = {key: configured[key] for key in ("NAME", "OPTIONS")}
    configured.update(NAME=str(path), OPTIONS={**configured.get("OPTIONS", {}), **SQLITE_OPTIONS})
    try:
        yield
    finally:
        configured.update(saved)


def _in_new_thread(function):
    result = []
    thread = threading.Thread(target=lambda: (result.append(function()), connection.close()))
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_ratings_are_each_counted_once(no_rate_limit, request):
    article = make_article(make_section())
    other = make_article(make_section())
    request.getfixturevalue("threads_database")
    threads_count, per_thread = 8, 25
    errors = []
    start = threading.Barrier(threads_count)

    def rate_many(thread):
        try:
            start.wait()
            for n in range(per_thread):
                reader = _reader(thread * per_thread + n)
                services.rate(article, reader, 1 + n % 5)
                # The same reader changes their mind at once: the count must not move.
                services.rate(article, reader, 5 - n % 5)
                services.rate(other, reader, 3)
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=rate_many, args=(t,)) for t in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    if connection.vendor == "sqlite":
        assert not Rating.objects.exists(), "the threads were meant to write to the file database"
    readers = threads_count * per_thread
    stored, recounted, stored_other = _in_new_thread(lambda: (_stored(article), _recounted(article), _stored(other)))
    assert stored == (readers, sum(5 - n % 5 for n in range(per_thread)) * threads_count)
    assert stored == recounted
    assert stored_other == (readers, 3 * readers)
