"""The rules of star ratings. Views stay thin and call these.

One rating per reader per article (the signed reader cookie's key), which the
reader may change. The article's RatingSummary is updated with F() arithmetic
in the same transaction, after locking its row, so that the count and the sum
stay exact however many readers rate at once (SQLite serialises writers by
itself; PostgreSQL queues them on the row lock).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minbar.core import page_cache
from minbar.newsroom.models import ArticlePage
from minbar.readers import ratelimit

from .models import HIGHEST_SCORE, LOWEST_SCORE, Rating, RatingSummary

# Limits: settings, with their defaults here. Ratings sent from one network per
# minute (readers behind one address share it; with the in-process cache each
# server process counts on its own, see readers/ratelimit.py):
DEFAULT_RATINGS_PER_MINUTE = 20
# New readers (fresh cookies) of one network who may rate one article within
# NEW_READERS_WINDOW: clearing the cookie does not buy another vote.
DEFAULT_NEW_READERS_PER_NETWORK = 3
NEW_READERS_WINDOW = datetime.timedelta(hours=1)


def ratings_per_minute():
    return getattr(settings, "MINBAR_RATINGS_PER_MINUTE", DEFAULT_RATINGS_PER_MINUTE)


def new_readers_per_network():
    return getattr(settings, "MINBAR_RATING_NEW_READERS_PER_NETWORK", DEFAULT_NEW_READERS_PER_NETWORK)


SCORE_CHOICES = tuple(str(score) for score in range(LOWEST_SCORE, HIGHEST_SCORE + 1))


class RatingRefused(Exception):
    """A rating that cannot be counted: `message` is for the reader, `status` the HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Outcome:
    summary: RatingSummary
    score: int
    is_change: bool


def summary_for(article):
    """The article's RatingSummary (an empty one before the first rating), read once per page."""
    cached = article.__dict__.get("_rating_summary")
    if cached is None:
        cached = RatingSummary.objects.filter(article_id=article.pk).first() or RatingSummary(
            article_id=article.pk
        )
        article.__dict__["_rating_summary"] = cached
    return cached


def rateable_article(article_id):
    """The published, public article `article_id`, or RatingRefused (404)."""
    article = ArticlePage.objects.live().public().filter(pk=article_id).first()
    if article is None:
        raise RatingRefused(_("This article does not exist or is not published, so it cannot be rated."), status=404)
    return article


def parse_score(value):
    """The whole number of stars chosen, or RatingRefused (400) for anything else."""
    value = (value or "").strip()
    if not value:
        raise RatingRefused(_("Choose how many stars you give the article, from one to five."))
    if value not in SCORE_CHOICES:
        raise RatingRefused(_("A rating is a whole number of stars from one to five."))
    return int(value)


def rate(article, reader, score):
    """Record `reader`'s `score` for `article`, or change it; return the Outcome.

    Raises RatingRefused when the network rates too often, or when too many
    new readers of one network rate the same article within the hour.
    """
    if not reader.key:
        raise ValueError("rate() needs a reader with a token: call reader_for(request, create=True)")
    if not ratelimit.allow("rating", reader.ip_hash, limit=ratings_per_minute(), seconds=60):
        raise RatingRefused(_("You have rated too often in the last minute. Wait a minute and try again."), status=429)
    now = timezone.now()
    with transaction.atomic():
        # Writing first: on SQLite the first statement takes the write lock,
        # so two transactions never both read and then both try to write.
        RatingSummary.objects.bulk_create([RatingSummary(article_id=article.pk)], ignore_conflicts=True)
        RatingSummary.objects.select_for_update().filter(pk=article.pk).get()
        existing = Rating.objects.filter(article_id=article.pk, reader_key=reader.key).first()
        if existing is None:
            _refuse_cookie_clearing(article, reader, now)
            Rating.objects.create(
                article_id=article.pk,
                reader_key=reader.key,
                ip_hash=reader.ip_hash,
                score=score,
                created_at=now,
                updated_at=now,
            )
            RatingSummary.objects.filter(pk=article.pk).update(count=F("count") + 1, total=F("total") + score)
        elif existing.score != score:
            Rating.objects.filter(pk=existing.pk).update(score=score, updated_at=now)
            RatingSummary.objects.filter(pk=article.pk).update(total=F("total") + (score - existing.score))
        summary = RatingSummary.objects.get(pk=article.pk)
    if existing is None or existing.score != score:
        page_cache.invalidate_article(article.pk)
    article.__dict__["_rating_summary"] = summary
    return Outcome(summary=summary, score=score, is_change=existing is not None)


def _refuse_cookie_clearing(article, reader, now):
    recent_new_readers = Rating.objects.filter(
        article_id=article.pk, ip_hash=reader.ip_hash, created_at__gte=now - NEW_READERS_WINDOW
    ).count()
    if recent_new_readers >= new_readers_per_network():
        raise RatingRefused(
            _(
                "Several readers on your network have already rated this article in the last hour. "
                "If you rated it before, your rating is counted; otherwise try again later."
            ),
            status=429,
        )
