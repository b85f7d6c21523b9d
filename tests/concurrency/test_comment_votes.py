"""1,000 readers vote on a few comments at once, some changing their minds: every count equals the votes stored."""

from collections import Counter

import pytest
from django.db.models import Count, Q

from minbar.comments.models import Comment, CommentStatus, CommentVote
from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_section

from .support import Reader, all_at_once, article_path, get_page, network, send, shown_scores

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READERS = 1000
COMMENTS = 5
UP, DOWN, NONE = "up", "down", "none"
VALUE_OF = {UP: 1, DOWN: -1, NONE: 0}


@pytest.fixture
def discussed_article(shared_database):
    article = make_article(make_section(title="آراء"), title="هل تعود الحركة إلى الأسواق؟")
    comments = [
        Comment.objects.create(
            article=article,
            author_name=f"محاور {number}",
            author_email=f"speaker{number}@example.org",
            body=f"رأي رقم {number}: الأسواق تحتاج إلى مواقف للسيارات قبل كل شيء.",
            status=CommentStatus.APPROVED,
            reader_key=f"author-{number}",
        )
        for number in range(COMMENTS)
    ]
    return ArticlePage.objects.get(pk=article.pk), comments


def _choices(number):
    """What reader `number` sends: a first vote and, for one reader in five, a change of mind."""
    first = DOWN if number % 3 == 0 else UP
    if number % 10 == 0:
        return [first, UP if first == DOWN else DOWN]
    if number % 10 == 5:
        return [first, NONE]
    return [first]


def test_a_thousand_concurrent_votes_leave_exact_counts(discussed_article, site_server):
    article, comments = discussed_article
    path = article_path(article)
    assert set(shown_scores(get_page(site_server, path).text).values()) == {0}
    readers = [Reader(ip=network(number)) for number in range(READERS)]

    def vote(number):
        reader, comment = readers[number], comments[number % COMMENTS]
        final = None
        for value in _choices(number):
            # The second vote carries the cookie the first one set: the same reader changing their vote.
            answer = send(site_server, f"/comments/{comment.pk}/vote/", {"value": value}, reader=reader)
            assert answer.status == 200, answer.text[:300]
            assert answer.data["ok"] and answer.data["value"] == VALUE_OF[value]
            final = VALUE_OF[value]
        return comment.pk, final

    finals = all_at_once(lambda number=number: vote(number) for number in range(READERS))

    expected = {comment.pk: Counter() for comment in comments}
    for comment_id, value in finals:
        expected[comment_id][value] += 1
    rows = CommentVote.objects.values("comment").annotate(
        up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1))
    )
    rows = {row["comment"]: (row["up"], row["down"]) for row in rows}
    for comment in Comment.objects.filter(pk__in=[comment.pk for comment in comments]):
        wanted = (expected[comment.pk][1], expected[comment.pk][-1])
        assert rows[comment.pk] == wanted
        assert (comment.upvotes, comment.downvotes) == wanted
    # Withdrawn votes leave no row; every other reader has exactly one.
    assert CommentVote.objects.count() == sum(1 for _comment_id, value in finals if value)
    assert CommentVote.objects.values("comment", "reader_key").distinct().count() == CommentVote.objects.count()

    shown = shown_scores(get_page(site_server, path).text)
    assert shown == {comment.pk: expected[comment.pk][1] - expected[comment.pk][-1] for comment in comments}
