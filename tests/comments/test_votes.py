"""Votes on comments: one per reader, changeable, never on one's own comment, limited, exact under load."""

import threading

import pytest
from django.db import connection

from minbar.comments.models import Comment, CommentStatus, CommentVote
from minbar.comments.votes import cast_vote
from minbar.readers.identity import Reader

from .conftest import JSON, SAME_ORIGIN, make_comment, post

pytestmark = [pytest.mark.usefixtures("no_page_cache")]


def _vote(client, comment, value, as_json=True, **headers):
    extra = (JSON if as_json else SAME_ORIGIN) | headers
    return client.post(f"/comments/{comment.pk}/vote/", {"value": value}, **extra)


def _counts(comment):
    comment.refresh_from_db()
    return comment.upvotes, comment.downvotes


@pytest.mark.django_db
def test_vote_up_sets_the_reader_cookie_and_counts(client, article, discussion):
    comment = make_comment(article)
    response = _vote(client, comment, "up")
    assert response.json() == {"ok": True, "message": "", "value": 1, "score": 1, "upvotes": 1, "downvotes": 0}
    assert "minbar_reader" in response.cookies and response.cookies["minbar_reader"]["httponly"]
    assert _counts(comment) == (1, 0)


@pytest.mark.django_db
def test_one_vote_per_reader_changeable_and_withdrawable(client, article, discussion):
    comment = make_comment(article)
    _vote(client, comment, "up")
    _vote(client, comment, "up")
    assert _counts(comment) == (1, 0) and CommentVote.objects.count() == 1
    assert _vote(client, comment, "down").json()["score"] == -1
    assert _counts(comment) == (0, 1)
    assert _vote(client, comment, "none").json()["score"] == 0
    assert _counts(comment) == (0, 0) and not CommentVote.objects.exists()


@pytest.mark.django_db
def test_vote_without_javascript_goes_back_to_the_comment(client, article, discussion):
    comment = make_comment(article)
    response = _vote(client, comment, "up", as_json=False)
    assert response.status_code == 303 and response["Location"] == f"{article.url}?comment={comment.pk}#comment-{comment.pk}"
    page = client.get(article.url).content.decode()
    assert '<output class="comment-score"' in page and ">1</output>" in page


@pytest.mark.django_db
def test_no_vote_on_ones_own_comment(client, article, discussion):
    post(client, article)
    own = Comment.objects.get()
    response = client.post(f"/en/comments/{own.pk}/vote/", {"value": "up"}, **JSON)
    assert response.status_code == 403 and "your own comment" in response.json()["message"]
    assert _counts(own) == (0, 0)


@pytest.mark.django_db
def test_no_vote_on_held_or_deleted_comments(client, article, discussion):
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.DELETED):
        comment = make_comment(article, status=status)
        assert _vote(client, comment, "up").status_code == 403
        assert _counts(comment) == (0, 0)


@pytest.mark.django_db
def test_unknown_vote_value_is_refused(client, article, discussion):
    comment = make_comment(article)
    assert _vote(client, comment, "+100").status_code == 403
    assert _counts(comment) == (0, 0)


@pytest.mark.django_db
def test_cross_site_vote_is_refused(client, article, discussion):
    comment = make_comment(article)
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "up"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and _counts(comment) == (0, 0)


@pytest.mark.django_db
def test_votes_are_rate_limited_per_reader(client, article, discussion, monkeypatch):
    # One fixed-window minute for the whole test, even if the clock passes a minute boundary.
    monkeypatch.setattr("minbar.readers.ratelimit.time.time", lambda: 1_800_000_000.0)
    comments = [make_comment(article) for _ in range(31)]
    answers = [_vote(client, comment, "up").status_code for comment in comments]
    assert answers[:30] == [200] * 30 and answers[30] == 403
    assert _counts(comments[30]) == (0, 0)


@pytest.mark.django_db
def test_clearing_cookies_to_vote_again_is_refused_after_three(article, discussion):
    from django.test import Client

    comment = make_comment(article)
    statuses = [_vote(Client(), comment, "up").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 403]
    assert _counts(comment) == (3, 0)


@pytest.mark.django_db
def test_readers_who_voted_before_on_the_network_may_still_vote(article, discussion):
    from django.test import Client

    first, second = make_comment(article), make_comment(article)
    readers = [Client() for _ in range(5)]
    for reader in readers:
        _vote(reader, first, "up")  # each reader gets a cookie
    assert [_vote(reader, second, "down").status_code for reader in readers] == [200] * 3 + [403] * 2
    # Readers with a cookie are known: they vote even past three on one network.
    assert all(_vote(reader, first, "down").status_code == 200 for reader in readers[:3])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_votes_and_changes_of_mind_are_counted_exactly(shared_database):
    from tests.factories import make_article, make_section

    comment = make_comment(make_article(make_section(), title="مقال للتصويت المتزامن"))
    voters = 40
    barrier = threading.Barrier(voters)
    results, errors = [], []

    def vote(number):
        reader = Reader(token=f"reader-token-{number:04d}-xxxxxxxx", ip_hash=f"net-{number}")
        try:
            barrier.wait()
            # Odd readers change their mind: up, then down.
            for value in (1, -1 if number % 2 else 1):
                results.append(cast_vote(comment.pk, reader, value).ok)
        except Exception as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(number,)) for number in range(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results.count(True) == 2 * voters
    votes = CommentVote.objects.filter(comment=comment)
    assert _counts(comment) == (voters // 2, voters // 2)
    assert (votes.filter(value=1).count(), votes.filter(value=-1).count()) == (voters // 2, voters // 2)
