"""Star ratings in Chromium: a reader rates, changes their rating, with JavaScript and without."""

import re

import pytest
from playwright.sync_api import expect

from .support import RequestLog, save_screenshot

pytestmark = pytest.mark.browser

NO_RATINGS = "لا تقييمات بعد"
ONE_VOTE = "صوت واحد"


def _choose(page, score):
    # The radio itself is visually hidden behind its star; readers click the star.
    page.locator(f'.rating-form label[for="rating-{score}"]').click()
    page.locator(".rating-form button[type=submit]").click()


def _axe_on_rating_box(page, axe_source):
    page.evaluate(axe_source)
    results = page.evaluate("async () => await axe.run('.rating', {resultTypes: ['violations']})")
    return [v["id"] for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def test_reader_rates_and_changes_their_rating_with_javascript(series_site, new_page, axe_source):
    site = series_site
    page = new_page()
    requests = RequestLog(page)
    page.goto(site.url(site.part_one), wait_until="networkidle")
    box = page.locator("section.rating")
    expect(box.locator(".rating-summary")).to_contain_text(NO_RATINGS)
    address = page.url

    _choose(page, 4)
    expect(box.locator(".rating-average")).to_have_text("4.0")
    expect(box.locator(".rating-count")).to_have_text(ONE_VOTE)
    expect(box.locator(".rating-status")).not_to_be_empty()
    assert page.url == address, "rating left the page"
    assert page.evaluate(f"localStorage.getItem('minbar:rating:{site.part_one.pk}')") == "4"
    save_screenshot(page, "rating-ar-js")

    # The page itself is shared by every reader: the own rating comes back from this browser's storage.
    page.reload(wait_until="networkidle")
    expect(page.locator("#rating-4")).to_be_checked()
    expect(box.locator(".rating-status")).not_to_be_empty()

    _choose(page, 2)
    expect(box.locator(".rating-average")).to_have_text("2.0")
    expect(box.locator(".rating-count")).to_have_text(ONE_VOTE)
    assert _axe_on_rating_box(page, axe_source) == []

    # Only the rating's own response set the reader cookie; no page did.
    assert requests.cookies and all("/ratings/" in url for url, _ in requests.cookies), requests.cookies

    # Another reader sees the new average at once, and none of the first reader's choice.
    other = new_page()
    other.goto(site.url(site.part_one), wait_until="networkidle")
    expect(other.locator(".rating-average")).to_have_text("2.0")
    expect(other.locator('.rating-form input[name="score"]:checked')).to_have_count(0)


def test_reader_rates_without_javascript(series_site, new_page):
    site = series_site
    page = new_page(java_script_enabled=False)
    page.goto(site.url(site.part_one, "en"), wait_until="networkidle")
    box = page.locator("section.rating")
    expect(box.locator(".rating-summary")).to_contain_text("No ratings yet")

    _choose(page, 5)
    page.wait_for_load_state("networkidle")
    assert re.search(r"/en/.*\?rated=5#rating$", page.url), page.url
    expect(box.locator(".rating-average")).to_have_text("5.0")
    expect(box.locator(".rating-count")).to_have_text("1 vote")
    expect(page.locator("#rating-5")).to_be_checked()
    expect(box.locator(".rating-status")).to_have_text("Thank you: your rating is counted.")
    save_screenshot(page, "rating-en-no-js")

    # Changing it works the same way; the count stays at one.
    _choose(page, 3)
    page.wait_for_load_state("networkidle")
    expect(box.locator(".rating-average")).to_have_text("3.0")
    expect(box.locator(".rating-count")).to_have_text("1 vote")
