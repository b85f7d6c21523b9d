"""Forged votes and ratings through the real views: refused with a translated message, counts unchanged."""

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from minbar.comments.models import Comment, CommentStatus, CommentVote
from minbar.ratings.models import Rating, RatingSummary
from minbar.readers.identity import READER_COOKIE_SALT
from tests.factories import make_article, make_section

from .conftest import JSON, SAME_ORIGIN, assert_inert, post_comment, shown, snapshot, stored

pytestmark = pytest.mark.django_db


def vote(client, comment_id, value, as_json=False, ip="198.51.100.20"):
    headers = {**(JSON if as_json else SAME_ORIGIN), "REMOTE_ADDR": ip}
    return client.post(f"/comments/{comment_id}/vote/", {"value": value}, **headers)


def rate(client, article_id, score, language="", as_json=False, ip="198.51.100.30"):
    prefix = f"/{language}" if language else ""
    headers = {**(JSON if as_json else SAME_ORIGIN), "REMOTE_ADDR": ip}
    return client.post(f"{prefix}/ratings/{article_id}/", {"score": score}, **headers)


@pytest.fixture
def voted_comment(article):
    """An approved comment with one honest up vote already counted."""
    comment = stored(article=article)
    assert vote(Client(), comment.pk, "up").status_code == 303
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (1, 0)
    return comment


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.DELETED])
def test_a_vote_on_a_comment_that_is_not_shown_is_refused(client, article, voted_comment, status):
    hidden = stored(article=article, status=status, body="تعليق غير منشور")
    before = snapshot()
    for as_json in (False, True):
        response = vote(client, hidden.pk, "up", as_json=as_json)
        assert response.status_code == 403
        text = response.json()["message"] if as_json else response.content.decode()
        assert shown("This comment cannot be voted on.") in text or translated_plain(
            "This comment cannot be voted on.") == text
    assert snapshot() == before


def translated_plain(message, language="ar"):
    from .conftest import translated

    return translated(message, language)


def test_a_vote_on_an_unknown_comment_is_a_404_and_no_row(client, voted_comment):
    before = snapshot()
    assert vote(client, 99999999, "up").status_code == 404
    assert client.post("/comments/2147483648/vote/", {"value": "up"}, **SAME_ORIGIN).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("value", ["7", "1", "-1", "+1", "UP", "up ", "", "none' OR 1=1 --", "<script>alert(7331)</script>"])
def test_a_vote_value_other_than_up_down_or_none_is_refused(client, voted_comment, value):
    before = snapshot()
    for language in ("", "en"):
        prefix = f"/{language}" if language else ""
        response = client.post(f"{prefix}/comments/{voted_comment.pk}/vote/", {"value": value}, **SAME_ORIGIN)
        assert response.status_code == 403
        html = response.content.decode()
        assert shown("Choose a vote: up or down.", language or "ar") in html
        assert_inert(html)
    assert snapshot() == before


def test_two_values_in_one_vote_count_once(client, voted_comment):
    response = client.post(f"/comments/{voted_comment.pk}/vote/", "value=up&value=up&value=down",
                           content_type="application/x-www-form-urlencoded", **SAME_ORIGIN)
    assert response.status_code in (303, 403)
    voted_comment.refresh_from_db()
    assert voted_comment.upvotes + voted_comment.downvotes == CommentVote.objects.count() == 2 - (
        response.status_code == 403)


def test_the_author_cannot_vote_on_their_own_comment_even_from_another_browser(client, article):
    assert post_comment(client, article, text="تعليقي أنا").status_code == 303
    own = Comment.objects.get()
    cookie = client.cookies[settings.MINBAR_READER_COOKIE_NAME].value
    copied = Client()
    copied.cookies[settings.MINBAR_READER_COOKIE_NAME] = cookie
    for voter in (client, copied):
        response = vote(voter, own.pk, "up", as_json=True)
        assert response.status_code == 403
        assert response.json()["message"] == translated_plain("You cannot vote on your own comment.")
    own.refresh_from_db()
    assert (own.upvotes, own.downvotes) == (0, 0) and not CommentVote.objects.exists()


def _forged_cookie(token):
    return signing.get_cookie_signer(salt="another-salt").sign(token)


@pytest.mark.parametrize(
    "cookie",
    [
        "not-signed-at-all",
        "A" * 5000,
        "<script>alert(7331)</script>",
        "' OR 1=1 --",
        "forged",  # replaced below by the author's token signed with the wrong key
        "tampered",  # replaced below by the author's own cookie with one character changed
    ],
)
def test_a_forged_reader_cookie_does_not_pass_for_the_reader_it_imitates(client, article, cookie):
    assert post_comment(client, article, text="تعليق الكاتبة").status_code == 303
    own = Comment.objects.get()
    genuine = client.cookies[settings.MINBAR_READER_COOKIE_NAME].value
    token = signing.get_cookie_signer(salt=READER_COOKIE_SALT).unsign(genuine)
    if cookie == "forged":
        cookie = _forged_cookie(token)
    elif cookie == "tampered":
        cookie = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    forger = Client()
    forger.cookies[settings.MINBAR_READER_COOKIE_NAME] = cookie
    response = vote(forger, own.pk, "down", as_json=True)
    # Not the author: the forger is a new reader, the vote counts once, from a new key, and the
    # author's own identity is untouched.
    assert response.status_code == 200
    vote_row = CommentVote.objects.get()
    assert vote_row.reader_key != own.reader_key and vote_row.value == -1
    own.refresh_from_db()
    assert (own.upvotes, own.downvotes) == (0, 1)
    assert forger.cookies[settings.MINBAR_READER_COOKIE_NAME].value != genuine


def test_clearing_the_cookie_again_and_again_does_not_stack_votes(article):
    comment = stored(article=article)
    results = [vote(Client(), comment.pk, "up", as_json=True) for _ in range(6)]
    assert [response.status_code for response in results] == [200, 200, 200, 403, 403, 403]
    assert results[-1].json()["message"] == translated_plain(
        "Too many votes on this comment came from your network in the last hour. Try again later.")
    comment.refresh_from_db()
    assert comment.upvotes == CommentVote.objects.count() == 3


def test_a_vote_flood_is_limited_and_counts_stay_exact(client, article):
    comments = [stored(article=article, body=f"تعليق {number}") for number in range(35)]
    statuses = [vote(client, comment.pk, "up", as_json=True).status_code for comment in comments]
    assert statuses.count(200) == 30 and statuses[30:] == [403] * 5
    assert CommentVote.objects.count() == 30
    assert sum(Comment.objects.values_list("upvotes", flat=True)) == 30


# Ratings


@pytest.fixture
def rated(article):
    assert rate(Client(), article.pk, "4", ip="198.51.100.77").status_code == 303
    return article


@pytest.mark.parametrize(
    "score, message",
    [
        ("0", "A rating is a whole number of stars from one to five."),
        ("6", "A rating is a whole number of stars from one to five."),
        ("4.5", "A rating is a whole number of stars from one to five."),
        ("-1", "A rating is a whole number of stars from one to five."),
        ("٥", "A rating is a whole number of stars from one to five."),
        ("3' OR 1=1 --", "A rating is a whole number of stars from one to five."),
        ("1e1", "A rating is a whole number of stars from one to five."),
        ("<script>alert(7331)</script>", "A rating is a whole number of stars from one to five."),
        ("", "Choose how many stars you give the article, from one to five."),
        ("   ", "Choose how many stars you give the article, from one to five."),
    ],
)
def test_a_forged_score_is_refused_and_the_average_unchanged(client, rated, score, message):
    before = snapshot()
    for language in ("", "en"):
        response = rate(client, rated.pk, score, language=language)
        assert response.status_code == 400
        html = response.content.decode()
        assert shown(message, language or "ar") in html
        assert_inert(html)
        response = rate(client, rated.pk, score, language=language, as_json=True)
        assert response.status_code == 400
        assert response.json()["message"] == translated_plain(message, language or "ar")
    assert snapshot() == before
    summary = RatingSummary.objects.get(article_id=rated.pk)
    assert (summary.count, summary.total) == (1, 4)


@pytest.mark.parametrize("target", ["unknown", "draft", "section"])
def test_rating_an_unknown_or_unpublished_page_is_refused(client, rated, target):
    draft = make_article(make_section(title="مسودات", slug="drafts"), title="مسودة لم تنشر", live=False)
    article_id = {"unknown": 99999999, "draft": draft.pk, "section": draft.get_parent().pk}[target]
    before = snapshot()
    response = rate(client, article_id, "5")
    assert response.status_code == 404
    assert shown("This article does not exist or is not published, so it cannot be rated.") in response.content.decode()
    assert snapshot() == before and not RatingSummary.objects.filter(article_id=draft.pk).exists()


def test_a_rating_cannot_be_stacked_by_clearing_cookies(rated):
    statuses = [rate(Client(), rated.pk, "1", ip="198.51.100.77").status_code for _ in range(4)]
    assert statuses == [303, 303, 429, 429]
    summary = RatingSummary.objects.get(article_id=rated.pk)
    assert summary.count == Rating.objects.count() == 3 and summary.total == 4 + 1 + 1


def test_a_refused_rating_keeps_earlier_comments_and_votes(client, article, voted_comment, rated):
    before = snapshot()
    for score in ("0", "6", "x"):
        rate(client, article.pk, score)
    assert snapshot() == before
