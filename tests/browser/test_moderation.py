"""An editor works through the comments queue in Chromium: filter, select, approve in bulk, block a sender."""

import pytest

pytestmark = pytest.mark.browser

QUEUE = "/admin/snippets/comments/comment/"


@pytest.fixture
def moderation_site(transactional_db, django_db_serialized_rollback, live_server, migrated_rows):
    """An article with held comments and an editor who may moderate them, served live."""
    from django.contrib.auth.models import Group
    from django.db import DEFAULT_DB_ALIAS, connections

    from minbar.comments.models import Comment, CommentStatus
    from minbar.readers.identity import hash_value
    from tests.factories import make_article, make_section

    # See series_site in conftest.py: the rollback copy must be on this connection.
    connection = connections[DEFAULT_DB_ALIAS]
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows
    article = make_article(make_section("مجتمع", slug="society"), title="ترميم السوق القديم")
    held = [
        Comment.objects.create(
            article=article,
            status=CommentStatus.PENDING,
            author_name=name,
            author_email=f"{slug}@example.org",
            body=body,
            ip_hash=hash_value("ip", f"203.0.113.{number}"),
            moderation_note="أول تعليق من هذا المرسل.",
        )
        for number, (name, slug, body) in enumerate(
            [
                ("سلمى", "salma", "أرجو أن تعود الحركة إلى السوق قريباً."),
                ("هوزان", "hozan", "الترميم تأخر كثيراً لكنه جميل."),
                ("بائع", "seller", "اشترِ الآن <b>بنصف السعر</b> https://spam.example"),
            ],
            start=1,
        )
    ]
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("editor", "editor@newsroom.example", "a-long-test-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    return {"url": live_server.url, "held": held}


def log_in(page, base_url):
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def test_an_editor_approves_two_held_comments_at_once_and_blocks_a_spammer(moderation_site, new_page):
    from minbar.comments.models import Comment, CommentStatus
    from minbar.moderation.models import BlockRule

    base_url = moderation_site["url"]
    salma, hozan, seller = moderation_site["held"]
    page = new_page()
    log_in(page, base_url)

    page.goto(f"{base_url}{QUEUE}?status=pending")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # A reader's markup is shown as text, never rendered.
    assert page.locator("table.listing b").count() == 0
    assert page.get_by_text("<b>بنصف السعر</b>", exact=False).count() == 1

    for comment in (salma, hozan):
        page.check(f"input[data-bulk-action-checkbox][data-object-id='{comment.pk}']")
    page.click("[data-bulk-action-button][href*='/admin/bulk/comments/comment/approve/']")
    page.wait_for_url("**/admin/bulk/comments/comment/approve/**")
    assert page.get_by_text("أرجو أن تعود الحركة إلى السوق قريباً.").count() == 1
    page.click("form[action*='/admin/bulk/comments/comment/'] button[type=submit]")
    page.wait_for_url(f"**{QUEUE}**")

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[salma.pk] == statuses[hozan.pk] == CommentStatus.APPROVED
    assert statuses[seller.pk] == CommentStatus.PENDING

    page.goto(f"{base_url}{QUEUE}inspect/{seller.pk}/")
    page.click("a[href*='/admin/bulk/comments/comment/block/']")
    page.click("form[action*='/admin/bulk/comments/comment/'] button[type=submit]")
    page.wait_for_url(f"**{QUEUE}**")
    assert Comment.objects.get(pk=seller.pk).status == CommentStatus.SPAM
    assert BlockRule.objects.filter(kind="email", value="seller@example.org").exists()
