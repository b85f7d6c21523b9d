"""One reader sends the same thing several times at once (a double click, a flaky connection retried): one row."""

import pytest
from django.utils import translation

from minbar.comments.models import Comment, CommentStatus, CommentVote
from minbar.newsroom.models import ArticlePage
from minbar.ratings.models import Rating, RatingSummary
from minbar.subscriptions.models import Subscriber, Subscription
from tests.factories import make_article, make_section

from .support import Reader, all_at_once, comment_fields, network, send

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMES = 12
# A network may post five comments a minute (moderation.services.RATE_LIMITS):
# five copies all get past that limit and race to the duplicate check.
COMMENT_TIMES = 5
COMMENT_ROUNDS = 8


@pytest.fixture
def two_articles(shared_database):
    section = make_section(title="محليات")
    first = make_article(section, title="افتتاح الجسر الجديد")
    second = make_article(section, title="المدارس تستعد للعام الدراسي")
    ArticlePage.objects.filter(pk__in=[first.pk, second.pk]).update(comment_moderation="none")
    return first, second


def _comment(article, number):
    return Comment.objects.create(
        article=article,
        author_name=f"كاتبة {number}",
        author_email=f"writer{number}@example.org",
        body=f"ملاحظة رقم {number}: الطريق إلى الجسر ما زال مزدحمًا.",
        status=CommentStatus.APPROVED,
        reader_key=f"writer-{number}",
    )


def _known_reader(site_server, comment, ip=None):
    """A reader the site has met: their first vote gave them the reader cookie."""
    reader = Reader(ip=ip or network(7))
    answer = send(site_server, f"/comments/{comment.pk}/vote/", {"value": "up"}, reader=reader)
    assert answer.status == 200 and reader.cookie
    return reader


def test_one_reader_voting_many_times_at_once_has_one_vote(two_articles, site_server):
    article, _second = two_articles
    warm_up, target = _comment(article, 1), _comment(article, 2)
    reader = _known_reader(site_server, warm_up)
    values = ["up" if attempt % 2 else "down" for attempt in range(TIMES)]

    answers = all_at_once(
        lambda value=value: send(site_server, f"/comments/{target.pk}/vote/", {"value": value}, reader=Reader(reader.ip, reader.cookie))
        for value in values
    )

    assert all(answer.status == 200 for answer in answers), [answer.text[:200] for answer in answers]
    votes = CommentVote.objects.filter(comment=target)
    assert votes.count() == 1
    target.refresh_from_db()
    vote = votes.get()
    assert (target.upvotes, target.downvotes) == ((1, 0) if vote.value == 1 else (0, 1))


def test_one_reader_rating_many_times_at_once_has_one_rating(two_articles, site_server):
    first, second = two_articles
    reader = Reader(ip=network(8))
    assert send(site_server, f"/ratings/{first.pk}/", {"score": "4"}, reader=reader).status == 200

    answers = all_at_once(
        lambda score=score: send(site_server, f"/ratings/{second.pk}/", {"score": str(score)}, reader=Reader(reader.ip, reader.cookie))
        for score in [attempt % 5 + 1 for attempt in range(TIMES)]
    )

    assert all(answer.status == 200 for answer in answers), [answer.text[:200] for answer in answers]
    rating = Rating.objects.get(article=second)
    summary = RatingSummary.objects.get(article=second)
    assert (summary.count, summary.total) == (1, rating.score)


def test_one_reader_sending_a_comment_several_times_at_once_posts_it_once(two_articles, site_server):
    article, _second = two_articles
    warm_up = _comment(article, 3)
    with translation.override("ar"):
        duplicate = translation.gettext("You have already posted this comment on this article.")
    outcomes = []
    # Several readers in turn, each sending their comment COMMENT_TIMES times at once:
    # one round may happen to be served one copy after another, all of them must not.
    for number in range(COMMENT_ROUNDS):
        reader = _known_reader(site_server, warm_up, ip=network(100 + number))
        fields = comment_fields(number)
        answers = all_at_once(
            lambda: send(site_server, f"/comments/article/{article.pk}/", fields, reader=Reader(reader.ip, reader.cookie))
            for _attempt in range(COMMENT_TIMES)
        )
        stored = Comment.objects.filter(article=article, author_email=fields["author_email"]).count()
        refusals = {answer.data["message"] for answer in answers if answer.status == 403}
        outcomes.append((stored, sorted(answer.status for answer in answers), refusals))

    expected = (1, [201] + [403] * (COMMENT_TIMES - 1), {duplicate})
    assert outcomes == [expected] * COMMENT_ROUNDS


def test_one_reader_asking_to_be_notified_several_times_at_once_has_one_subscription(two_articles, site_server):
    article, _second = two_articles
    reader = Reader(ip=network(9))
    fields = {"email": "Huda@Example.org", "notify": "comments", "article": str(article.pk)}

    answers = all_at_once(lambda: send(site_server, "/subscriptions/", fields, reader=reader) for _attempt in range(TIMES))

    # Accepted, or refused once the address's confirmation e-mails are spent: never an error.
    assert {answer.status for answer in answers} <= {200, 429}, [answer.text[:200] for answer in answers]
    assert Subscriber.objects.filter(email="huda@example.org").count() == 1
    assert Subscription.objects.filter(subscriber__email="huda@example.org").count() == 1
