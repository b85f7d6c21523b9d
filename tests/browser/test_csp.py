"""Under the strict Content-Security-Policy everything a reader and an editor do still works, and nothing is refused."""

import re

import pytest
from playwright.sync_api import expect

from .support import save_screenshot

pytestmark = pytest.mark.browser

ONE = re.compile(r"^\s*[1١]\s*$")
EDITOR_PASSWORD = "a-long-test-password"


class Violations:
    """Every CSP violation the pages of one browser context report, across navigations.

    The page's own `securitypolicyviolation` events are handed to the test
    through a binding (the init script runs before any of the page's scripts,
    and a binding is not subject to the page's policy); Chromium also writes
    each refusal to the console.
    """

    def __init__(self, context):
        self.found = []
        context.expose_binding("minbarReportViolation", lambda source, text: self.found.append(text))
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', (event) => window.minbarReportViolation("
            "`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`));"
        )
        context.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.found.append(f"console: {message.text}")


@pytest.fixture
def open_page(browser):
    contexts = []

    def opened(**context_args):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, **context_args)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page(), Violations(context)

    yield opened
    for context in contexts:
        context.close()


@pytest.fixture
def site(series_site):
    """Comments published at once (moderation has its own tests), and an editor who may log in."""
    from django.contrib.auth import get_user_model

    from minbar.moderation.models import DiscussionSettings

    settings = DiscussionSettings.load()
    settings.moderation = "none"
    settings.min_seconds_to_submit = 0
    settings.save()
    get_user_model().objects.create_superuser("editor", "editor@newsroom.example", EDITOR_PASSWORD)
    return series_site


def _filled_share(page):
    """The filled stars' width as a share of the row, and whether they start at the row's inline start."""
    return page.evaluate(
        """() => {
            const row = document.querySelector('.rating-summary .stars-empty').getBoundingClientRect();
            const filled = document.querySelector('.rating-summary .stars-filled').getBoundingClientRect();
            const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
            const startsAtStart = rtl ? Math.abs(filled.right - row.right) < 1 : Math.abs(filled.left - row.left) < 1;
            return {share: filled.width / row.width, startsAtStart};
        }"""
    )


def test_reader_comments_votes_rates_and_searches_without_a_single_refusal(site, open_page):
    page, violations = open_page()
    response = page.goto(site.url(site.part_one), wait_until="networkidle")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]

    # A comment, sent by the page's script without leaving the page.
    form = page.locator("#comment-form")
    form.locator("#comment-text").fill("الترميم جميل لكنه تأخر كثيراً.")
    form.locator("#comment-name").fill("سلمى")
    form.locator("#comment-email").fill("salma@example.org")
    form.locator("button[type=submit]").click()
    comment = page.locator("#comment-list li.comment", has=page.locator(".comment-body", has_text="الترميم جميل")).last
    expect(comment).to_be_visible()

    # A rating: 4 of 5 fills four fifths of the stars, from the right in Arabic.
    page.locator('.rating-form label[for="rating-4"]').click()
    page.locator(".rating-form button[type=submit]").click()
    expect(page.locator(".rating-average")).to_have_text("4.0")
    share = _filled_share(page)
    assert share["share"] == pytest.approx(0.8, abs=0.01) and share["startsAtStart"], share

    # Another reader votes for the comment, and sees the same stars in English, from the left.
    reader, reader_violations = open_page()
    reader.goto(site.url(site.part_one, "en"), wait_until="networkidle")
    theirs = reader.locator("#comment-list li.comment", has=reader.locator(".comment-body", has_text="الترميم جميل")).last
    theirs.locator(".comment-vote .vote-up").first.click()
    expect(theirs.locator(".comment-score").first).to_have_text(ONE)
    share = _filled_share(reader)
    assert share["share"] == pytest.approx(0.8, abs=0.01) and share["startsAtStart"], share
    save_screenshot(reader, "csp-article-en")

    # Search from the header.
    reader.locator("header form[role=search] input[name=q]").fill("السوق")
    reader.locator("header form[role=search] input[name=q]").press("Enter")
    reader.wait_for_load_state("networkidle")
    expect(reader.locator("main .search-result").first).to_be_visible()

    # A page that is not there, and the home page.
    reader.goto(site.base_url + "/en/no-such-page/", wait_until="networkidle")
    reader.goto(site.base_url + "/", wait_until="networkidle")
    assert violations.found == [] and reader_violations.found == [], violations.found + reader_violations.found


def test_editor_logs_in_and_opens_the_dashboard_and_the_page_editor_without_a_refusal(site, open_page):
    page, violations = open_page()
    page.goto(site.base_url + "/admin/login/", wait_until="networkidle")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", EDITOR_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(site.base_url + "/admin/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_be_visible()
    page.goto(f"{site.base_url}/admin/pages/{site.part_one.pk}/edit/", wait_until="networkidle")
    expect(page.locator("form#page-edit-form")).to_be_visible()
    save_screenshot(page, "csp-admin-editor")
    assert violations.found == [], violations.found
