"""The reader's whole discussion in Chromium, as issue 4's "done when" tells it, with JavaScript and without.

Guest A rates an article, comments asking to hear of replies, follows the
article too, and confirms both from the e-mails a real SMTP server caught;
guest B (another browser: another reader cookie) rates, votes on A's comment
and replies; A hears of it by e-mail, reads the reply from the mail's link,
votes on it, then leaves both subscriptions: one by the List-Unsubscribe
header's one-click POST (as a mail client sends it), one by the link shown
in the mail. B's last reply reaches nobody. At every step a third,
anonymous reader gets the article from the page cache, up to date, while
another article's cached page stays cached (precise invalidation).
"""

import re
import secrets
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.subscriptions.smtp import django_mail_through_smtp, parts_of

pytestmark = pytest.mark.browser

A_NAME, A_EMAIL = "نادية حسن", "nadia@example.org"
B_NAME, B_EMAIL = "كاوا عمر", "kawa@example.org"
A_COMMENT = "أتمنى أن تعود الحياة إلى السوق القديم قبل الشتاء، فالباعة ينتظرون منذ سنوات."
B_REPLIES = (
    "أشاركك الأمل، لكن الترميم يحتاج إلى تمويل لم يُعلن عنه بعد.",
    "وقد سمعت أن البلدية ستعقد اجتماعاً مع التجار الأسبوع المقبل.",
    "ردّ أخير: نُشر موعد الاجتماع على صفحة البلدية.",
)
CKB_COMMENT = "ئەم وتارە زۆر بەسوود بوو، سوپاس بۆ نووسەر."

# What the readers read, in the Arabic interface.
RATED = "شكرًا لك: احتُسب تقييمك."
PUBLISHED = "شكرًا لك: نُشر تعليقك."
PUBLISHED_NO_JS = "نُشر تعليقك."
CHECK_MAIL = "أرسلنا إليك رسالة بالبريد الإلكتروني"
CONFIRM_ASK = "أكّد اشتراكك"
CONFIRMED = "تمّ تأكيد الاشتراك"
OWN_VOTE = "لا يمكنك التصويت على تعليقك."
UNSUBSCRIBED = "تمّ: لن تصلك هذه الرسائل بعد الآن."
COMMENT_COUNTS = {1: "تعليق واحد", 2: "تعليقان", 3: "3 تعليقات", 4: "4 تعليقات"}
VOTE_COUNTS = {1: "صوت واحد", 2: "صوتان"}

_ARABIC_INDIC = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


def shown(text):
    """`text` as the page may write it: in Latin or Arabic-Indic digits (a site setting), whole."""
    return re.compile(rf"^\s*(?:{re.escape(text)}|{re.escape(text.translate(_ARABIC_INDIC))})\s*$")


@pytest.fixture
def flow_site(series_site, settings):
    """The series site with the page cache on, comments published at once, mail links to the live server."""
    from wagtail.models import Site

    from minbar.moderation.models import discussion_settings

    settings.MINBAR_READER_HASH_KEY = secrets.token_hex(16)  # fresh rate-limit windows
    settings.MINBAR_PAGE_CACHE_SECONDS = 300  # the cache is part of what is tested
    # Moderation and its timing have their own tests; here every comment shows at once.
    discussion = discussion_settings()
    discussion.moderation = "none"
    discussion.min_seconds_to_submit = 0
    discussion.save()
    # Links in e-mails start with the site's root URL: make it the live server, so they are followed as sent.
    parts = urlsplit(series_site.base_url)
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = parts.hostname, parts.port
    site.save()
    return series_site


@pytest.fixture
def smtp(settings):
    with django_mail_through_smtp(settings) as catcher:
        yield catcher


def link_in(text, fragment):
    return next(url for url in re.findall(r"https?://\S+", text) if fragment in url)


def subject_of(message):
    # Django folds a long encoded subject onto a continuation line; Python's parser keeps the fold's space.
    return str(message["Subject"]).strip()


def mail(smtp, number, to):
    """The `number`-th message the SMTP server got (1-based), checked to be for `to`, with its text and HTML."""
    received = smtp.wait_for(number)[number - 1]
    assert received["to"] == [to], received["to"]
    text, html = parts_of(received["message"])
    return received["message"], text, html


class Observer:
    """A third reader with no cookie: every visit in a fresh browser, as served by the page cache."""

    def __init__(self, new_page, site):
        self.new_page, self.site = new_page, site

    def visit(self, article):
        page = self.new_page()
        response = page.goto(self.site.url(article), wait_until="domcontentloaded")
        return page, response.headers.get("x-cache")

    def sees(self, *, comments, average, votes, scores=()):
        """The article as a newcomer gets it: rendered once with the latest state, then served from the cache."""
        for attempt in ("first", "second"):
            page, cache_state = self.visit(self.site.part_one)
            if attempt == "second":
                assert cache_state == "hit", "the article page was not served from the cache"
            comments_box = page.locator("section#comments")
            expect(comments_box.locator("#comments-heading")).to_have_text(COMMENT_COUNTS[comments])
            expect(comments_box.locator("li.comment")).to_have_count(comments)
            for text, score in scores:
                item = comments_box.locator("li.comment", has=page.locator(":scope > .comment-box .comment-body", has_text=text))
                expect(item.locator(":scope > .comment-box .comment-score")).to_have_text(shown(str(score)))
            expect(page.locator(".rating-average")).to_have_text(shown(average))
            expect(page.locator(".rating-count")).to_have_text(VOTE_COUNTS[votes])
            # Nothing of any reader in the shared page: no token, no pressed vote, no edit link.
            assert "csrfmiddlewaretoken" not in page.content()
            expect(page.locator('[aria-pressed="true"], .comment-edit')).to_have_count(0)
            page.context.close()
        self.other_article_stays_cached()

    def other_article_stays_cached(self):
        page, cache_state = self.visit(self.site.part_two)
        page.context.close()
        assert cache_state == "hit", "a change to one article's discussion dropped another article's cached page"


def comment_item(page, text):
    return page.locator("li.comment", has=page.locator(":scope > .comment-box .comment-body", has_text=text)).last


def own_box(item):
    return item.locator(":scope > .comment-box")


def rate(page, score, javascript):
    page.locator(f'.rating-form label[for="rating-{score}"]').click()
    page.locator(".rating-form button[type=submit]").click()
    if not javascript:
        page.wait_for_url(re.compile(rf"\?rated={score}#rating$"))
    expect(page.locator(".rating-status")).to_have_text(RATED)


def fill_comment(page, text, name, email, notify=False):
    form = page.locator("#comment-form")
    form.locator("#comment-text").fill(text)
    form.locator("#comment-name").fill(name)
    form.locator("#comment-email").fill(email)
    if notify:
        form.locator("input[name=notify_replies]").check()
    form.locator("button[type=submit]").click()


def post_comment(page, text, name, email, javascript, notify=False, reply_to=None):
    """Post (or, with `reply_to`, reply) as a reader does; returns the new comment's element on the article page."""
    if reply_to is not None:
        answered = own_box(comment_item(page, reply_to))
        author = answered.locator(".comment-author").inner_text()
        answered.locator(".comment-reply").click()
        # With JavaScript the form moves under the comment; without, the reply page names whom it answers.
        expect(page.locator("#comment-form .replying-to-name" if javascript else "#comment-form-heading bdi")).to_have_text(author)
    fill_comment(page, text, name, email, notify)
    if javascript:
        expect(page.locator("#comment-form .form-status")).to_have_text(PUBLISHED)
    else:
        # The result page, then back to the article at a fresh address showing the comment.
        expect(page.locator("main .notice")).to_have_text(PUBLISHED_NO_JS)
        page.locator('main a[href*="?comment="]').click()
        page.wait_for_url(re.compile(r"\?comment=\d+#comment-\d+$"))
    item = comment_item(page, text)
    expect(item).to_be_visible()
    if reply_to is not None:
        expect(comment_item(page, reply_to).locator(":scope > .comment-replies")).to_contain_text(text)
    return item


def vote_up(page, text, javascript):
    box = own_box(comment_item(page, text))
    box.locator(".vote-up").click()
    if not javascript:
        page.wait_for_url(re.compile(r"\?comment=\d+#comment-\d+$"))
        box = own_box(comment_item(page, text))
    return box


def confirm_from(page, text):
    """Follow the confirmation link of a caught mail and press the button."""
    page.goto(link_in(text, "/confirm/"))
    expect(page.locator("main h1")).to_have_text(CONFIRM_ASK)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text(CONFIRMED)
    expect(page.locator("main [role=status]")).to_be_visible()


def one_click_unsubscribe(url):
    """POST "List-Unsubscribe=One-Click" as a mail client's server does (RFC 8058): no cookie, no Origin, no page."""
    request = urllib.request.Request(
        url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_guest_discussion_from_first_rating_to_last_unsubscribe(flow_site, new_page, smtp, javascript):
    from minbar.subscriptions.models import Subscriber, Subscription, SubscriptionKind

    site = flow_site
    title = site.part_one.title
    observer = Observer(new_page, site)
    observer.visit(site.part_two)  # cached from now on: no change below may drop it
    page, _ = observer.visit(site.part_one)
    expect(page.locator(".rating-summary")).to_contain_text("لا تقييمات بعد")
    expect(page.locator("#comment-list .empty")).to_have_text("لا تعليقات بعد.")
    page.context.close()

    # A rates, comments asking to hear of replies, and follows the article's comments.
    a = new_page(java_script_enabled=javascript)
    a.goto(site.url(site.part_one), wait_until="networkidle")
    expect(a.locator("html")).to_have_attribute("lang", "ar")
    expect(a.locator("html")).to_have_attribute("dir", "rtl")
    rate(a, 4, javascript)
    expect(a.locator(".rating-average")).to_have_text(shown("4.0"))
    expect(a.locator(".rating-count")).to_have_text(VOTE_COUNTS[1])
    a_comment = post_comment(a, A_COMMENT, A_NAME, A_EMAIL, javascript, notify=True)
    expect(a.locator("#comments-heading")).to_have_text(COMMENT_COUNTS[1])
    expect(own_box(a_comment).locator(".comment-author")).to_have_text(A_NAME)
    observer.sees(comments=1, average="4.0", votes=1)

    _message, replies_confirmation, _html = mail(smtp, 1, A_EMAIL)
    form = a.locator("form.subscribe-form")
    form.locator("input[name=notify][value=comments]").check()
    form.locator("#subscribe-email").fill(A_EMAIL)
    form.locator("button[type=submit]").click()
    expect(a.locator("main [role=status]")).to_contain_text(CHECK_MAIL)
    message, article_confirmation, html = mail(smtp, 2, A_EMAIL)
    assert subject_of(message) == CONFIRM_ASK
    assert link_in(article_confirmation, "/confirm/") in html
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()

    confirm_from(a, replies_confirmation)
    confirm_from(a, article_confirmation)
    assert Subscription.objects.filter(subscriber__email=A_EMAIL, confirmed_at__isnull=False).count() == 2

    # B, in another browser, rates, votes A's comment up and replies to it.
    b = new_page(java_script_enabled=javascript)
    b.goto(site.url(site.part_one), wait_until="networkidle")
    expect(b.locator("#comments-heading")).to_have_text(COMMENT_COUNTS[1])
    rate(b, 5, javascript)
    expect(b.locator(".rating-average")).to_have_text(shown("4.5"))
    expect(b.locator(".rating-count")).to_have_text(VOTE_COUNTS[2])
    box = vote_up(b, A_COMMENT, javascript)
    expect(box.locator(".comment-score")).to_have_text(shown("1"))
    if javascript:
        expect(box.locator(".vote-up")).to_have_attribute("aria-pressed", "true")
    b_reply = post_comment(b, B_REPLIES[0], B_NAME, B_EMAIL, javascript, reply_to=A_COMMENT)
    reply_id = b_reply.get_attribute("id")
    expect(b.locator("#comments-heading")).to_have_text(COMMENT_COUNTS[2])
    observer.sees(comments=2, average="4.5", votes=2, scores=[(A_COMMENT, 1), (B_REPLIES[0], 0)])

    # A hears of the reply, in Arabic, with a link to it and one-click unsubscribe headers.
    notification, text, html = mail(smtp, 3, A_EMAIL)
    assert subject_of(notification) == f"ردّ جديد في: {title}"
    assert notification["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert B_NAME in text and B_REPLIES[0] in text
    assert B_REPLIES[0] in html
    reply_link = link_in(text, f"#{reply_id}")
    assert reply_link in html
    a.goto(reply_link, wait_until="networkidle")
    reply = a.locator(f"#{reply_id}")
    expect(reply).to_be_visible()
    expect(reply.locator(".comment-body")).to_contain_text(B_REPLIES[0])
    expect(reply.locator(".comment-author")).to_have_text(B_NAME)

    # A votes B's reply up; their own comment takes no vote of theirs.
    box = vote_up(a, B_REPLIES[0], javascript)
    expect(box.locator(".comment-score")).to_have_text(shown("1"))
    own_box(comment_item(a, A_COMMENT)).locator(".vote-up").click()
    if javascript:
        expect(own_box(comment_item(a, A_COMMENT)).locator(".vote-message")).to_have_text(OWN_VOTE)
    else:
        expect(a.locator("main .notice")).to_have_text(OWN_VOTE)
    observer.sees(comments=2, average="4.5", votes=2, scores=[(A_COMMENT, 1), (B_REPLIES[0], 1)])

    # A's mail client ends "replies to my comments" from the header alone.
    [unsubscribe_header] = re.findall(r"<(https?://[^>]+)>", str(notification["List-Unsubscribe"]))
    assert one_click_unsubscribe(unsubscribe_header) == 200
    assert not Subscription.objects.filter(kind=SubscriptionKind.REPLIES_TO_ME).exists()

    # B replies again: A still follows the article's comments, and that mail says so.
    b.goto(site.url(site.part_one) + "?order=newest", wait_until="networkidle")
    post_comment(b, B_REPLIES[1], B_NAME, B_EMAIL, javascript, reply_to=A_COMMENT)
    notification, text, html = mail(smtp, 4, A_EMAIL)
    assert subject_of(notification) == f"تعليق جديد على: {title}"
    assert B_REPLIES[1] in text

    # A leaves that one by the link shown in the mail.
    unsubscribe_link = link_in(text, "/unsubscribe/")
    assert unsubscribe_link in html
    a.goto(unsubscribe_link, wait_until="networkidle")
    a.locator("main form button[type=submit]").click()
    expect(a.locator("main [role=status]")).to_have_text(UNSUBSCRIBED)
    assert not Subscriber.objects.filter(email=A_EMAIL).exists()

    # B's last reply reaches nobody.
    b.goto(site.url(site.part_one) + "?order=votes", wait_until="networkidle")
    post_comment(b, B_REPLIES[2], B_NAME, B_EMAIL, javascript, reply_to=A_COMMENT)
    observer.sees(comments=4, average="4.5", votes=2, scores=[(A_COMMENT, 1), (B_REPLIES[0], 1), (B_REPLIES[2], 0)])
    assert len(smtp.messages) == 4, [subject_of(m["message"]) for m in smtp.messages[4:]]


# Latin words a Kurdish page may rightly show: the English interface's own
# name in the language menu, and the names of the feed formats.
NOT_ENGLISH_PROSE = {"English", "RSS", "Atom"}


def latin_words(page):
    """Latin-script words a reader sees or hears on the page: its text, title and labels."""
    words = page.evaluate(
        """() => {
          const texts = [document.title, document.body.innerText];
          document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]').forEach((node) =>
            ['aria-label', 'placeholder', 'title', 'alt'].forEach((name) => node.hasAttribute(name) && texts.push(node.getAttribute(name))));
          return texts.join('\\n');
        }"""
    )
    return set(re.findall(r"[A-Za-z][A-Za-z'’-]+", words)) - NOT_ENGLISH_PROSE


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_kurdish_reader_comments_in_a_kurdish_interface(flow_site, new_page, smtp, javascript):
    """The same form in /ckb/: every word around the reader is Central Kurdish, none English."""
    from django.utils import translation

    site = flow_site
    with translation.override("ckb"):
        published = translation.gettext("Thank you: your comment is published.")
        published_no_js = translation.gettext("Your comment is published.")
        one_comment = translation.ngettext("%(shown)s comment", "%(shown)s comments", 1) % {"shown": 1}
    assert published != "Thank you: your comment is published.", "the Kurdish catalog lacks the message"
    page = new_page(java_script_enabled=javascript)
    page.goto(site.url(site.part_one, "ckb"), wait_until="networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "ckb")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert not latin_words(page), f"English words on the Kurdish article page: {sorted(latin_words(page))}"

    fill_comment(page, CKB_COMMENT, "ئاراس", "aras@example.org")
    if javascript:
        expect(page.locator("#comment-form .form-status")).to_have_text(published)
    else:
        expect(page.locator("main .notice")).to_have_text(published_no_js)
        assert not latin_words(page), f"English words on the Kurdish result page: {sorted(latin_words(page))}"
        page.locator('main a[href*="?comment="]').click()
        page.wait_for_url(re.compile(r"/ckb/.*\?comment=\d+#comment-\d+$"))
    expect(comment_item(page, CKB_COMMENT)).to_be_visible()
    expect(page.locator("#comments-heading")).to_have_text(shown(one_comment))
    assert not latin_words(page), f"English words on the Kurdish article page: {sorted(latin_words(page))}"
