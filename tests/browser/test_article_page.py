"""The article page as a reader sees it in Chromium, in the three interfaces and on a phone."""

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .support import (
    BODY_PHRASE,
    INTERFACES,
    PHONE,
    REGIONS,
    SHARE_LINKS,
    RequestLog,
    describe_violations,
    run_axe,
    save_screenshot,
)

pytestmark = pytest.mark.browser


def article_path(article):
    return unquote(article.url_path.split("/", 2)[-1])  # "opinion/city-after-war-1/"


def assert_share_links(page, article):
    main = page.locator("main")
    for service, selector in SHARE_LINKS.items():
        link = main.locator(selector).first
        expect(link, f"{service} share link").to_be_visible()
        href = unquote(link.get_attribute("href"))
        assert article_path(article) in href, f"{service} link does not share the article: {href}"


def assert_article_is_arabic(page):
    """The article's own text is Arabic, right to left, whatever the interface language."""
    for text in (page.locator("main h1").first, page.locator("main p", has_text=BODY_PHRASE).first):
        language, direction = text.evaluate(
            "el => [el.closest('[lang]')?.getAttribute('lang'), getComputedStyle(el).direction]"
        )
        assert (language, direction) == ("ar", "rtl"), f"{text}: lang={language} direction={direction}"


@pytest.mark.parametrize("interface", list(INTERFACES))
def test_article_page_shows_everything_in_each_interface(series_site, new_page, axe_source, interface):
    site = series_site
    page = new_page()
    requests = RequestLog(page)
    response = page.goto(site.url(site.part_one, interface), wait_until="networkidle")
    assert response.status == 200

    html_lang, html_dir = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    assert (html_lang, html_dir) == (interface, INTERFACES[interface][1])

    title = page.locator("main h1").first
    expect(title).to_be_visible()
    expect(title).to_contain_text("المدينة بعد الحرب")
    expect(title).to_contain_text("ج1")
    assert_article_is_arabic(page)

    main = page.locator("main")
    for author in (site.person, site.organization):
        byline = main.locator(f'a[href$="/author/{author.slug}/"]').first
        expect(byline, f"byline link to {author.name}").to_be_visible()
        expect(byline).to_contain_text(author.name)
    expect(main.locator("time[datetime]").first).to_be_visible()
    for tag in site.tags:
        expect(main.get_by_role("link", name=tag).first).to_be_visible()
    expect(main.locator("p", has_text=BODY_PHRASE).first).to_be_visible()

    cover = main.locator("img").first
    expect(cover).to_be_visible()
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0"), "the cover image did not load"

    assert_share_links(page, site.part_one)
    expect(main.locator(REGIONS["copy_button"]).first).to_be_visible()
    expect(page.locator(REGIONS["rating"]).first).to_be_visible()
    expect(page.locator(REGIONS["comments"]).first).to_be_visible()

    read_also = page.locator(REGIONS["read_also"]).first
    expect(read_also).to_be_visible()
    for article in site.read_also:
        expect(read_also.get_by_role("link", name=article.title).first).to_be_visible()

    series = page.locator(REGIONS["series"]).first
    expect(series).to_be_visible()
    expect(series.locator(f'a[href$="/{site.part_two.slug}/"]').first).to_be_visible()
    assert series.locator(f'a[href$="/{site.part_three.slug}/"]').count() == 0, "the draft part 3 is linked"
    expect(main).not_to_contain_text("يتبع")  # part 2 is out, so part 1 links to it instead

    save_screenshot(page, f"article-{interface}")

    violations = run_axe(page, axe_source)
    assert not violations, f"axe found serious/critical problems:\n{describe_violations(violations)}"

    assert requests.third_party() == [], f"requests left the site: {requests.third_party()}"
    assert requests.cookies == [], f"the anonymous reader was sent cookies: {requests.cookies}"
    assert page.context.cookies() == [], "the page stored a cookie"


def test_part_two_is_continued_while_part_three_is_a_draft(series_site, new_page):
    site = series_site
    page = new_page()
    page.goto(site.url(site.part_two), wait_until="networkidle")

    expect(page.locator("main h1").first).to_contain_text("ج2")
    expect(page.locator("main").get_by_text("يتبع").first).to_be_visible()
    series = page.locator(REGIONS["series"]).first
    expect(series.locator(f'a[href$="/{site.part_one.slug}/"]').first).to_be_visible()
    assert series.locator(f'a[href$="/{site.part_three.slug}/"]').count() == 0, "the draft part 3 is linked"
    save_screenshot(page, "article-ar-part-2")


def test_article_page_fits_a_phone(series_site, new_page, axe_source):
    site = series_site
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    requests = RequestLog(page)
    page.goto(site.url(site.part_one), wait_until="networkidle")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a 390px phone"
    expect(page.locator("main h1").first).to_be_visible()
    expect(page.locator("main p", has_text=BODY_PHRASE).first).to_be_visible()
    assert_share_links(page, site.part_one)
    expect(page.locator(REGIONS["read_also"]).first).to_be_visible()
    save_screenshot(page, "article-ar-phone")

    violations = run_axe(page, axe_source)
    assert not violations, f"axe found serious/critical problems:\n{describe_violations(violations)}"
    assert requests.third_party() == [], f"requests left the site: {requests.third_party()}"


def test_article_page_is_complete_without_javascript(series_site, new_page):
    site = series_site
    page = new_page(java_script_enabled=False)
    page.goto(site.url(site.part_one), wait_until="networkidle")

    expect(page.locator("main h1").first).to_contain_text("المدينة بعد الحرب")
    expect(page.locator("main p", has_text=BODY_PHRASE).first).to_be_visible()
    assert_share_links(page, site.part_one)
    read_also = page.locator(REGIONS["read_also"]).first
    expect(read_also.get_by_role("link", name=site.read_also[0].title).first).to_be_visible()

    # Without JavaScript the copy button could not copy, so it stays hidden; the
    # address is in a read-only field the reader can select and copy by hand.
    expect(page.locator(REGIONS["copy_button"]).first).to_be_hidden()
    field = page.locator(REGIONS["copy_field"]).first
    expect(field).to_be_visible()
    expect(field).to_have_value(re.compile(re.escape(article_path(site.part_one)) + "$"))
    save_screenshot(page, "article-ar-no-js")


def test_copy_link_puts_the_article_address_on_the_clipboard(series_site, new_page, live_server):
    site = series_site
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site.url(site.part_one), wait_until="networkidle")

    button = page.locator(REGIONS["copy_button"]).first
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".copy-link [role=status]")).not_to_be_empty()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator(REGIONS["copy_field"]).first.input_value()
    assert copied.startswith(live_server.url) and copied.endswith(article_path(site.part_one)), copied
