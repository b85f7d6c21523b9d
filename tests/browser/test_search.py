"""Search in Chromium: a reader types a variant spelling into the header and finds the article."""

import pytest
from playwright.sync_api import expect

from .support import PHONE, RequestLog, describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser

TITLE = "عودة الأسرى إلى قراهم"
BODY = "<p>بعد سنوات من الغياب، عاد الأسرى إلى بيوتهم في الريف، واستقبلهم الأهالي بالأغاني.</p>"


@pytest.fixture
def search_site(transactional_db, django_db_serialized_rollback, live_server, migrated_rows):
    """Two published articles, indexed as after a real commit, served live (see conftest.series_site)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from tests.factories import make_article, make_section

    connection = connections[DEFAULT_DB_ALIAS]
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows
    news = make_section("أخبار", slug="news")
    # Each publish commits (no test transaction here), so the index task runs at once.
    article = make_article(news, title=TITLE, body=BODY, slug="prisoners-return")
    make_article(news, title="موسم الزيتون", body="<p>بدأ قطاف الزيتون في القرى الجبلية.</p>", slug="olives")
    return live_server.url, article


def _search_from_the_header(page, typed):
    box = page.locator("header form[role=search] input[name=q]")
    box.fill(typed)
    box.press("Enter")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("javascript", [True, False], ids=["with javascript", "without javascript"])
def test_a_variant_spelling_typed_in_the_header_finds_the_article_highlighted(search_site, new_page, axe_source, javascript):
    base_url, article = search_site
    page = new_page(java_script_enabled=javascript)
    requests = RequestLog(page)
    page.goto(f"{base_url}/", wait_until="networkidle")

    _search_from_the_header(page, "الاسرى")  # no hamza, as many readers type it

    assert page.url.startswith(f"{base_url}/search/?q=")
    results = page.locator("main .search-result")
    expect(results).to_have_count(1)
    link = results.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    assert link.get_attribute("href").endswith(f"/{article.slug}/")
    marks = results.locator("mark")
    expect(marks.first).to_have_text("الأسرى")  # the writer's own spelling, marked
    assert marks.count() == 2  # in the title and in the snippet
    background = marks.first.evaluate("mark => getComputedStyle(mark).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), "highlighted words do not stand out"
    expect(page.locator("header input[name=q]")).to_have_value("الاسرى")

    save_screenshot(page, f"search-ar-{'js' if javascript else 'no-js'}")
    if javascript:
        violations = run_axe(page, axe_source)
        assert not violations, f"axe found serious/critical problems:\n{describe_violations(violations)}"
    assert requests.third_party() == [], f"requests left the site: {requests.third_party()}"
    assert requests.cookies == [] and page.context.cookies() == []


def test_filters_and_messages_work_on_a_phone_without_javascript(search_site, new_page, axe_source):
    base_url, _ = search_site
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, java_script_enabled=False)
    page.goto(f"{base_url}/en/search/?q=%D8%B2", wait_until="networkidle")
    expect(page.locator("main [role=alert]")).to_be_visible()  # one letter: a message, not results

    page.locator("main input[name=q]").fill("الزيتون")
    page.locator("main summary").click()
    page.locator("main select[name=section]").select_option("news")
    page.locator("main input[name=date_from]").fill("2000-01-01")
    page.locator("main form[role=search] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main .search-result")).to_have_count(1)
    expect(page.locator("main .search-result mark").first).to_have_text("الزيتون")
    assert "section=news" in page.url and "date_from=2000-01-01" in page.url

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the search page scrolls sideways by {overflow}px on a phone"
    save_screenshot(page, "search-en-phone-filters")
