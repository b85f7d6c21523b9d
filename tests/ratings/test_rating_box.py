"""The rating box on the article page: average, count, stars, the empty state, the form."""

import json
import re

import lxml.html
import pytest

from minbar.core.models import SiteSettings
from minbar.ratings.models import RatingSummary

from .conftest import arabic, rate, rating_box

pytestmark = pytest.mark.django_db


def _set_summary(article, count, total):
    RatingSummary.objects.update_or_create(article=article, defaults={"count": count, "total": total})


def _aggregate_rating(client, url):
    head = lxml.html.fromstring(client.get(url).content).find("head")
    for script in head.xpath("script[@type='application/ld+json']"):
        data = json.loads(script.text)
        if "headline" in data:
            return data.get("aggregateRating")
    raise AssertionError("no article JSON-LD")


def test_an_article_nobody_rated_invites_the_first_rating(client, article):
    box = rating_box(client.get(article.url).content.decode())
    assert arabic("No ratings yet") in box
    assert arabic("Be the first to rate this article.") in box
    assert "rating-average" not in box and "stars-filled" not in box
    assert 'method="post"' in box and f'action="/ratings/{article.pk}/"' in box
    assert "disabled" not in box
    assert box.count('type="radio" ') == 5


def test_stars_are_filled_to_the_average_with_the_number_for_screen_readers(client, article):
    _set_summary(article, count=3, total=11)  # 3.666… → 3.7
    box = rating_box(client.get(article.url).content.decode())
    assert '<strong class="rating-average">3.7</strong>' in box
    assert 'class="stars-filled stars-fill-74"' in box  # .stars-fill-74 { inline-size: 74% }
    assert re.search(r'class="visually-hidden">[^<]*5[^<]*</span>', box)  # "out of 5"
    assert '<span class="stars" aria-hidden="true">' in box


@pytest.mark.parametrize(
    ("count", "arabic_words"),
    [(1, "صوت واحد"), (2, "صوتان"), (3, "3 أصوات"), (11, "11 صوتًا"), (100, "100 صوت")],
)
def test_vote_count_uses_arabic_plural_forms(client, article, count, arabic_words):
    _set_summary(article, count=count, total=count * 4)
    assert arabic_words in rating_box(client.get(article.url).content.decode())


def test_arabic_indic_digits_with_the_arabic_decimal_separator(client, article):
    site = SiteSettings.load()
    site.use_arabic_indic_digits = True
    site.save()
    _set_summary(article, count=12, total=53)  # 4.416… → 4.4
    box = rating_box(client.get(article.url).content.decode())
    assert '<strong class="rating-average">٤٫٤</strong>' in box
    assert "١٢ صوتًا" in box
    assert 'value="3"' in box and "٣ نجوم" in box  # values stay ASCII, labels follow the site


def test_english_and_kurdish_interfaces_show_the_box_in_their_language(client, article):
    _set_summary(article, count=2, total=9)
    english = rating_box(client.get("/en" + article.url).content.decode())
    assert "4.5" in english and "2 votes" in english
    assert f'action="/en/ratings/{article.pk}/"' in english
    kurdish = rating_box(client.get("/ckb" + article.url).content.decode())
    assert f'action="/ckb/ratings/{article.pk}/"' in kurdish
    assert "2 votes" not in kurdish


def test_json_ld_has_no_aggregate_rating_before_the_first_vote(client, article):
    assert _aggregate_rating(client, article.url) is None


def test_json_ld_aggregate_rating_once_rated(client, article):
    _set_summary(article, count=7, total=30)  # 4.285… → 4.3
    assert _aggregate_rating(client, article.url) == {
        "@type": "AggregateRating",
        "ratingValue": 4.3,
        "ratingCount": 7,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_a_new_rating_reaches_the_cached_page_and_its_json_ld(client, article):
    assert _aggregate_rating(client, article.url) is None
    assert client.get(article.url)["X-Cache"] == "hit"
    rate(client, article, "2")
    assert _aggregate_rating(client, article.url)["ratingCount"] == 1


@pytest.mark.parametrize("rated", ["<script>alert(1)</script>", "9", "٣", "3.0"])
def test_a_forged_rated_address_shows_no_thanks_and_checks_nothing(client, article, rated):
    box = rating_box(client.get(article.url, {"rated": rated}).content.decode())
    assert "checked" not in box
    assert arabic("Thank you: your rating is counted.") not in box
    assert "<script>alert" not in box
