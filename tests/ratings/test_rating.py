"""A reader rates an article with one to five stars, once, and may change their mind."""

import datetime

import pytest
from django.conf import settings
from django.test import override_settings

from minbar.ratings.models import Rating, RatingSummary
from tests.factories import make_article, make_section

from .conftest import arabic, rate, rating_box

pytestmark = pytest.mark.django_db


def _summary(article):
    summary = RatingSummary.objects.filter(article=article).first()
    return (summary.count, summary.total) if summary else (0, 0)


def test_rating_without_javascript_returns_to_the_article_showing_the_new_average(client, article):
    response = rate(client, article, "4")
    assert response.status_code == 303
    assert response["Location"] == f"{article.url}?rated=4#rating"
    cookie = response.cookies[settings.MINBAR_READER_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert '<strong class="rating-average">4.0</strong>' in page
    assert "صوت واحد" in page
    assert 'value="4" required checked' in page
    assert arabic("Thank you: your rating is counted.") in page


def test_the_shared_page_knows_nothing_of_the_reader_who_rated(client, article):
    rate(client, article, "5")
    page = client.get(article.url)
    html = rating_box(page.content.decode())
    assert "checked" not in html
    assert '<strong class="rating-average">5.0</strong>' in html
    assert not page.cookies


def test_changing_a_rating_moves_the_average_not_the_count(client, article):
    rate(client, article, "5")
    rate(client, article, "2")
    assert _summary(article) == (1, 2)
    assert Rating.objects.get(article=article).score == 2


def test_average_of_several_readers_to_one_decimal(new_reader, article):
    for score in ("5", "5", "4"):
        rate(new_reader(), article, score, ip=f"198.51.100.{score}{Rating.objects.count()}")
    html = new_reader().get(article.url).content.decode()
    assert '<strong class="rating-average">4.7</strong>' in html
    assert "٣ أصوات" in html or "3 أصوات" in html


def test_script_gets_the_new_numbers_as_json(client, article):
    response = rate(client, article, "3", json=True)
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True
    assert (answer["score"], answer["count"], answer["average"]) == (3, 1, 3.0)
    assert '<strong class="rating-average">3.0</strong>' in answer["html"]
    assert answer["message"]
    assert settings.MINBAR_READER_COOKIE_NAME in response.cookies
    assert "no-store" in response["Cache-Control"]

    changed = rate(client, article, "1", json=True).json()
    assert (changed["score"], changed["count"], changed["average"]) == (1, 1, 1.0)
    assert changed["message"] != answer["message"]


@pytest.mark.parametrize("score", ["0", "6", "3.5", "-1", "abc", "", "٣", "10", "<script>"])
def test_anything_but_one_to_five_whole_stars_is_refused_with_the_form_again(client, article, score):
    response = rate(client, article, score)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert arabic("A rating is a whole number of stars from one to five.") in html or arabic(
        "Choose how many stars you give the article, from one to five."
    ) in html
    assert 'name="score"' in html  # the form, to try again
    assert "<script>" not in html.split("<main", 1)[-1].replace('<script src', "")
    assert _summary(article) == (0, 0)
    assert settings.MINBAR_READER_COOKIE_NAME not in response.cookies


def test_a_refused_rating_keeps_the_stars_the_reader_chose(client, article, settings):
    settings.MINBAR_RATINGS_PER_MINUTE = 0
    html = rate(client, article, "4").content.decode()
    assert 'value="4" required checked' in html


def test_refusal_as_json_names_the_field(client, article):
    response = rate(client, article, "9", json=True)
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False
    assert answer["errors"]["score"] == [answer["message"]]


def test_forged_or_unpublished_article_cannot_be_rated(client, article):
    draft = make_article(make_section(), title="مسودة لم تنشر", live=False)
    section = make_section()
    for target in (999999, draft.pk, section.pk):
        response = rate(client, target, "5")
        assert response.status_code == 404, target
        refusal = arabic("This article does not exist or is not published, so it cannot be rated.")
        assert refusal in response.content.decode()
        assert rate(client, target, "5", json=True).json()["ok"] is False
    assert not Rating.objects.exists()


def test_cross_site_form_is_refused(client, article):
    response = client.post(f"/ratings/{article.pk}/", {"score": "5"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_the_rating_address_takes_only_posts(client, article):
    assert client.get(f"/ratings/{article.pk}/").status_code == 405


def test_clearing_the_cookie_does_not_buy_more_votes(new_reader, article):
    for _ in range(3):
        assert rate(new_reader(), article, "1").status_code == 303
    refused = rate(new_reader(), article, "1")
    assert refused.status_code == 429
    assert arabic(
        "Several readers on your network have already rated this article in the last hour. "
        "If you rated it before, your rating is counted; otherwise try again later."
    ) in refused.content.decode()
    assert _summary(article) == (3, 3)
    # Another network, and another article, are not affected.
    assert rate(new_reader(), article, "5", ip="192.0.2.50").status_code == 303
    assert rate(new_reader(), make_article(make_section()), "5").status_code == 303


def test_a_reader_who_kept_their_cookie_may_still_change_their_rating(client, new_reader, article):
    rate(client, article, "1")
    for _ in range(2):
        rate(new_reader(), article, "1")
    assert rate(new_reader(), article, "1").status_code == 429
    assert rate(client, article, "5").status_code == 303
    assert _summary(article) == (3, 7)


def test_new_readers_of_a_network_may_rate_again_after_an_hour(new_reader, article):
    for _ in range(3):
        rate(new_reader(), article, "4")
    Rating.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert rate(new_reader(), article, "4").status_code == 303


@override_settings(MINBAR_RATINGS_PER_MINUTE=2)
def test_a_network_that_rates_too_often_is_asked_to_wait(client, article):
    others = [make_article(make_section()) for _ in range(2)]
    assert rate(client, article, "3").status_code == 303
    assert rate(client, others[0], "3").status_code == 303
    refused = rate(client, others[1], "3", json=True)
    assert refused.status_code == 429
    wait = arabic("You have rated too often in the last minute. Wait a minute and try again.")
    assert refused.json()["message"] == wait


def test_english_interface_returns_to_the_english_page_in_english(client, article):
    response = rate(client, article, "4", language="en")
    assert response["Location"] == f"/en{article.url}?rated=4#rating"
    refused = rate(client, article, "7", language="en", json=True).json()
    assert "one to five" in refused["message"]
