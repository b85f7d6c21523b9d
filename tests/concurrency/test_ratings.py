"""1,000 readers rate an article at once, some changing their rating: the summary equals the ratings stored."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Count, Sum

from minbar.ratings.models import Rating, RatingSummary
from tests.factories import make_article, make_section

from .support import (
    Reader,
    all_at_once,
    article_path,
    get_page,
    network,
    send,
    shown_rating_average,
    shown_rating_count,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READERS = 1000


@pytest.fixture
def rated_article(shared_database):
    return make_article(make_section(title="ثقافة"), title="مهرجان الكتاب يعود بعد غياب")


def _scores(number):
    """The stars reader `number` sends: one rating, and for one reader in eight a changed one."""
    first = number % 5 + 1
    return [first, 6 - first] if number % 8 == 0 else [first]


def test_a_thousand_concurrent_ratings_leave_an_exact_summary(rated_article, site_server):
    article = rated_article
    path = article_path(article)
    assert shown_rating_count(get_page(site_server, path).text) == 0
    readers = [Reader(ip=network(number)) for number in range(READERS)]

    def rate(number):
        final = None
        for score in _scores(number):
            answer = send(site_server, f"/ratings/{article.pk}/", {"score": str(score)}, reader=readers[number])
            assert answer.status == 200, answer.text[:300]
            assert answer.data["ok"] and answer.data["score"] == score
            final = score
        return final

    finals = all_at_once(lambda number=number: rate(number) for number in range(READERS))

    stored = Rating.objects.filter(article=article).aggregate(count=Count("pk"), total=Sum("score"))
    assert stored == {"count": READERS, "total": sum(finals)}
    assert Rating.objects.values("reader_key").distinct().count() == READERS
    summary = RatingSummary.objects.get(article=article)
    assert (summary.count, summary.total) == (READERS, sum(finals))

    page = get_page(site_server, path).text
    assert shown_rating_count(page) == READERS
    average = (Decimal(sum(finals)) / READERS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert shown_rating_average(page) == str(average)
