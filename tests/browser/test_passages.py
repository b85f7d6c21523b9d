"""Passage feedback in Chromium: comment on a selected passage, answer an editor's question, find both under the passage filter."""

import secrets
import time

import pytest
from playwright.sync_api import expect

from tests.passages.conftest import PASSAGE, QUESTION, bridge_body

pytestmark = pytest.mark.browser

SELECTED = "بحضور عدد من الأهالي"


@pytest.fixture
def bridge(series_site, settings):
    """A published article with one passage the editors ask about; comments published at once."""
    from minbar.moderation.models import discussion_settings
    from tests.factories import make_article

    settings.MINBAR_PAGE_CACHE_SECONDS = 0
    settings.MINBAR_READER_HASH_KEY = secrets.token_hex(16)  # fresh rate-limit windows
    site_settings = discussion_settings()
    site_settings.moderation = "none"
    site_settings.min_seconds_to_submit = 0
    site_settings.save()
    article = make_article(
        series_site.part_one.get_parent().specific, title="جسر جديد فوق النهر", slug="new-bridge", body=bridge_body()
    )
    return series_site, article


def select_text(page, text):
    """Select `text` in the article body as a reader dragging over it would."""
    page.evaluate(
        """(wanted) => {
          const body = document.querySelector('.article-body');
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(wanted);
            if (at === -1) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + wanted.length);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return;
          }
          throw new Error('text not in the body: ' + wanted);
        }""",
        text,
    )


def stored_comment(article, timeout=10):
    """The comment the reader just posted, once the site has stored it (in place with JavaScript, or after a page load)."""
    from minbar.comments.models import Comment

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        comment = Comment.objects.filter(article=article).select_related("question").first()
        if comment is not None:
            return comment
        time.sleep(0.1)
    raise AssertionError("no comment was stored")


def fill_comment(form, text):
    form.locator("textarea[name=text]").fill(text)
    form.locator("input[name=author_name]").fill("ريم")
    form.locator("input[name=author_email]").fill("reem@example.org")
    form.locator("button[type=submit]").click()


def test_reader_comments_on_a_selected_passage_and_finds_it_under_the_filter(bridge, new_page):
    from minbar.passages.services import article_text

    site, article = bridge
    page = new_page()
    page.goto(site.url(article))
    button = page.locator(".passage-comment-button.is-floating")
    expect(button).to_be_hidden()

    select_text(page, SELECTED)
    expect(button).to_be_visible()
    button.click()
    form = page.locator("#comment-form")
    chosen = form.locator(".passage-chosen")
    expect(chosen).to_be_visible()
    expect(chosen.locator(".passage-chosen-text")).to_have_text(SELECTED)
    expect(form.locator("textarea[name=text]")).to_be_focused()
    fill_comment(form, "من كان حاضراً فعلاً؟ الصور لا تظهر إلا المسؤولين.")

    comment = stored_comment(article)
    # The script measured the passage exactly as the server does.
    text = article_text(article)
    assert comment.quote == SELECTED
    assert comment.quote_position == text.index(SELECTED)
    assert text[: comment.quote_position].endswith(comment.quote_prefix)
    assert text[comment.quote_position + len(SELECTED) :].startswith(comment.quote_suffix)

    page.goto(site.url(article) + "?filter=passages#comments")
    listed = page.locator("#comments .comment-passage")
    expect(listed).to_have_count(1)
    expect(listed.locator(".comment-passage-quote")).to_have_text(SELECTED)
    expect(listed.locator(".comment-passage-gone")).to_have_count(0)
    listed.locator(".comment-passage-link a").click()
    assert page.evaluate("document.getSelection().toString()") == SELECTED


def test_reader_answers_the_editors_question_in_place(bridge, new_page):
    site, article = bridge
    page = new_page()
    page.goto(site.url(article))
    marker = page.locator(".article-body .passage-marker")
    expect(marker.locator(".passage-marker-count")).to_have_text("0")
    marker.locator("a").click()
    form = page.locator("#comment-form")
    expect(form.locator(".passage-chosen-text")).to_have_text(QUESTION)
    fill_comment(form, "نعم، يعبره ابني كل صباح ويصل أبكر بكثير.")

    answer = stored_comment(article)
    assert answer.question.question == QUESTION
    assert answer.quote == ""

    page.goto(site.url(article) + "?filter=passages#comments")
    listed = page.locator("#comments .comment-passage")
    expect(listed.locator(".comment-passage-question")).to_contain_text(QUESTION)
    expect(page.locator(".article-body .passage-marker-count")).to_have_text("1")


def test_without_javascript_the_marker_leads_to_an_answer_page(bridge, new_page):
    site, article = bridge
    page = new_page(java_script_enabled=False)
    page.goto(site.url(article))
    page.locator(".article-body .passage-marker a").click()
    expect(page.locator("main blockquote")).to_contain_text(PASSAGE)
    expect(page.locator("main")).to_contain_text(QUESTION)
    fill_comment(page.locator("#comment-form"), "أحياناً فقط، فالطريق إليه غير مضاء ليلاً.")

    answer = stored_comment(article)
    assert answer.question.question == QUESTION
    page.goto(site.url(article) + "?filter=passages#comments")
    expect(page.locator("#comments .comment-passage-question")).to_contain_text(QUESTION)
    expect(page.locator("#comments")).to_contain_text("غير مضاء ليلاً")


@pytest.mark.parametrize("interface", ["ar", "en"])
def test_markers_button_and_chosen_passage_pass_axe(bridge, new_page, axe_source, interface):
    from .support import describe_violations, run_axe

    site, article = bridge
    page = new_page()
    page.goto(site.url(article, interface))
    page.locator(".article-body .passage-marker a").focus()
    expect(page.locator(".passage-marker-question")).to_be_visible()
    select_text(page, SELECTED)
    expect(page.locator(".passage-comment-button.is-floating")).to_be_visible()
    violations = run_axe(page, axe_source)
    assert not violations, f"axe found serious/critical problems:\n{describe_violations(violations)}"
    page.locator(".passage-comment-button.is-floating").click()
    expect(page.locator("#comment-form .passage-chosen")).to_be_visible()
    violations = run_axe(page, axe_source)
    assert not violations, f"axe found serious/critical problems:\n{describe_violations(violations)}"


SELECT_IN_EDITOR = """([wanted, partly]) => {
  const root = document.querySelector('.public-DraftEditor-content');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(wanted);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at + (partly ? 2 : 0));
    range.setEnd(node, partly ? at + 6 : at + wanted.length);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return;
  }
  throw new Error('text not in the editor: ' + wanted);
}"""


def test_editor_marks_a_passage_with_a_question_and_removes_it_again(series_site, new_page):
    from django.contrib.auth import get_user_model

    from minbar.passages.models import PassageQuestion
    from tests.factories import make_article
    from tests.passages.conftest import OPENING

    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase-123")
    article = make_article(
        series_site.part_one.get_parent().specific, title="جسر جديد", slug="bridge-editor", body=f"<p>{OPENING}</p>"
    )
    page = new_page()
    page.goto(series_site.base_url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-passphrase-123")
    page.locator("form button[type=submit]").click()

    def edit_and_publish(partly, answer):
        page.goto(series_site.base_url + f"/admin/pages/{article.pk}/edit/")
        page.locator(".public-DraftEditor-content").click()
        page.evaluate(SELECT_IN_EDITOR, [SELECTED, partly])
        prompts = []

        def reply(dialog):
            prompts.append(dialog.default_value)
            dialog.accept(answer)

        page.once("dialog", reply)
        page.locator('button[name="PASSAGE"]').click()
        expect(page.locator(".public-DraftEditor-content .passage-question-mark")).to_have_count(1 if answer else 0)
        # Draftail writes its state to the form field a moment after a change.
        page.wait_for_function(
            "(marked) => document.querySelector('input[name=body]').value.includes('PASSAGE') === marked", arg=bool(answer)
        )
        with page.expect_navigation():
            page.locator('button[name="action-publish"]').dispatch_event("click")
        return prompts

    assert edit_and_publish(partly=False, answer="هل حضرت الافتتاح؟") == [""]
    question = PassageQuestion.objects.get(article=article)
    assert (question.question, question.quote, question.is_open) == ("هل حضرت الافتتاح؟", SELECTED, True)

    # A few words of the marked passage are enough to find the whole mark; an empty question removes it.
    assert edit_and_publish(partly=True, answer="") == ["هل حضرت الافتتاح؟"]
    question.refresh_from_db()
    assert not question.is_open


@pytest.mark.parametrize("interface", ["ar", "en"])
def test_the_button_appears_under_the_selection_within_a_phone_screen(bridge, new_page, interface):
    from .support import PHONE

    site, article = bridge
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(site.url(article, interface))
    # The question of a marker waits hidden beside its passage: it must not widen the page.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page with a passage marker scrolls sideways by {overflow}px on a phone"
    select_text(page, SELECTED)
    button = page.locator(".passage-comment-button.is-floating")
    expect(button).to_be_visible()
    box = button.bounding_box()
    selection = page.evaluate(
        "(() => { const r = document.getSelection().getRangeAt(0).getBoundingClientRect();"
        " return {bottom: r.bottom + window.scrollY}; })()"
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] + page.evaluate("window.scrollY") >= selection["bottom"]
    button.tap()
    expect(page.locator("#comment-form .passage-chosen-text")).to_have_text(SELECTED)
