"""A reader arrives through an old WordPress link of an imported site and finds the article with its
discussion as it was: threads, votes, the passage questions, the rating, and can vote on an old comment."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.wordpress.support import ARABIC_SITE

pytestmark = pytest.mark.browser

LIBRARY_TITLE = "مكتبة البلدية تفتح أبوابها مساءً"


@pytest.fixture
def imported_site(transactional_db, django_db_serialized_rollback, live_server, migrated_rows, settings, tmp_path):
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("import_wordpress", str(ARABIC_SITE), stdout=io.StringIO(), stderr=io.StringIO())
    return live_server.url


def test_an_old_link_leads_to_the_article_and_its_imported_discussion(imported_site, new_page):
    page = new_page()
    page.goto(f"{imported_site}/?p=206", wait_until="networkidle")
    expect(page.locator("h1#article-title")).to_contain_text(LIBRARY_TITLE)
    assert "?p=" not in page.url
    # The thread came along: a reply to a reply, with the votes wpDiscuz counted.
    first = page.locator("#comment-list li.comment").first
    expect(first.locator(".comment-replies li.comment").first).to_be_visible()
    expect(page.locator("#comment-list .comment-score").first).not_to_be_empty()
    # The editor's two passage questions are marked in the text.
    expect(page.locator('mark.passage[data-passage="xm4k9q"]')).to_be_visible()
    expect(page.locator('mark.passage[data-passage="p2v7rd"]')).to_be_visible()
    # The hostile imported comment is plain text.
    assert page.evaluate("() => document.querySelectorAll('#comment-list script, #comment-list img').length") == 0
    # A reader votes on a comment from the old site.
    vote = page.locator("#comment-list .comment-vote .vote-up").first
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
