"""Comments in Chromium: a guest comments, replies and votes, with JavaScript and without."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ONE = re.compile(r"^\s*[1١]\s*$")


@pytest.fixture
def discussion(series_site):
    """Publish at once and accept quick typists: moderation and its timing have their own tests."""
    from minbar.moderation.models import DiscussionSettings

    settings = DiscussionSettings.load()
    settings.moderation = "none"
    settings.min_seconds_to_submit = 0
    settings.save()
    return series_site


def _fill(page, text, name="سلمى", email="salma@example.org"):
    form = page.locator("#comment-form")
    form.locator("#comment-text").fill(text)
    if form.locator("#comment-name").count():
        form.locator("#comment-name").fill(name)
        form.locator("#comment-email").fill(email)
    form.locator("button[type=submit]").click()


def _comment(page, text):
    return page.locator("#comment-list li.comment", has=page.locator(".comment-body", has_text=text)).last


def test_guest_comments_replies_and_votes_with_javascript(discussion, new_page):
    site = discussion
    page = new_page()
    page.goto(site.url(site.part_one), wait_until="networkidle")
    address = page.url

    _fill(page, "الترميم جميل لكنه تأخر.\n\nوالأسواق تحتاج إلى كهرباء: https://example.org/souq")
    comment = _comment(page, "الترميم جميل")
    expect(comment).to_be_visible()
    assert page.url == address, "posting left the page"
    expect(comment.locator(".comment-body p")).to_have_count(2)
    expect(comment.locator('.comment-body a[rel="nofollow ugc noopener"]')).to_have_attribute(
        "href", "https://example.org/souq"
    )
    expect(comment.locator(".comment-edit")).to_be_visible()  # from this reader's storage, not from the page
    expect(page.locator("#comment-form .form-status")).not_to_be_empty()

    comment.locator(".comment-reply").first.click()
    expect(page.locator("#comment-form .replying-to")).to_be_visible()
    _fill(page, "أوافقك، وأضيف أن المواصلات سيئة.", name="ريم", email="reem@example.org")
    reply = comment.locator(".comment-replies li.comment", has_text="أوافقك")
    expect(reply).to_be_visible()

    # The author cannot vote on their own comment.
    comment.locator(".comment-vote .vote-up").first.click()
    expect(comment.locator(".vote-message").first).not_to_be_empty()

    # Another reader votes; the vote shows, survives a reload, and is withdrawn by pressing again.
    voter = new_page()
    voter.goto(site.url(site.part_one), wait_until="networkidle")
    their = _comment(voter, "الترميم جميل")
    up = their.locator(".comment-vote .vote-up").first
    up.click()
    expect(their.locator(".comment-score").first).to_have_text(ONE)
    expect(up).to_have_attribute("aria-pressed", "true")
    voter.reload(wait_until="networkidle")
    their = _comment(voter, "الترميم جميل")
    expect(their.locator(".comment-score").first).to_have_text(ONE)
    expect(their.locator(".vote-up").first).to_have_attribute("aria-pressed", "true")
    their.locator(".vote-up").first.click()
    expect(their.locator(".comment-score").first).to_have_text(re.compile(r"^\s*[0٠]\s*$"))

    # Newest first, remembered for the next visit.
    voter.locator('.comment-order a[data-order="newest"]').click()
    expect(voter.locator('.comment-order a[aria-current="true"]')).to_have_attribute("data-order", "newest")
    voter.goto(site.url(site.part_one), wait_until="networkidle")
    expect(voter.locator('.comment-order a[aria-current="true"]')).to_have_attribute("data-order", "newest")


def test_guest_comments_replies_and_votes_without_javascript(discussion, new_page):
    site = discussion
    page = new_page(java_script_enabled=False)
    page.goto(site.url(site.part_one), wait_until="networkidle")

    _fill(page, "تعليق بلا جافاسكربت <b>نص عادي</b>")
    # The result page carries the edit link: the author corrects the comment.
    page.locator("a.edit-link").click()
    page.locator("#comment-edit-text").fill("تعليق بلا جافاسكربت <b>نص عادي</b> بعد التصحيح")
    page.locator('button[value="save"]').click()
    comment = _comment(page, "تعليق بلا جافاسكربت")
    expect(comment).to_be_visible()
    expect(comment.locator(".comment-body")).to_contain_text("<b>نص عادي</b> بعد التصحيح")

    # An error keeps what was typed. (The browser keeps the plain article address
    # for a minute, as it was before the comment: other addresses of it are fresh.)
    page.goto(site.url(site.part_one) + "?order=oldest", wait_until="networkidle")
    _fill(page, "نص لن يضيع", email="ليس بريدا")
    expect(page.locator("#comment-text")).to_have_value(re.compile("نص لن يضيع"))
    expect(page.locator("#comment-email")).to_have_attribute("aria-invalid", "true")

    page.goto(site.url(site.part_one) + "?order=newest", wait_until="networkidle")
    _comment(page, "تعليق بلا جافاسكربت").locator(".comment-reply").first.click()
    _fill(page, "ردّ بلا جافاسكربت", name="ريم", email="reem@example.org")
    page.locator("main a", has_text=re.compile(".")).last.click()
    reply = _comment(page, "تعليق بلا جافاسكربت").locator(".comment-replies li.comment", has_text="ردّ بلا جافاسكربت")
    expect(reply).to_be_visible()

    voter = new_page(java_script_enabled=False)
    voter.goto(site.url(site.part_one), wait_until="networkidle")
    _comment(voter, "تعليق بلا جافاسكربت").locator(".vote-up").first.click()
    assert re.search(r"\?comment=\d+#comment-\d+$", voter.url), voter.url
    expect(_comment(voter, "تعليق بلا جافاسكربت").locator(".comment-score").first).to_have_text(ONE)
