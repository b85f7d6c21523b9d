"""The comments queue in the Wagtail admin: listing, filters, search, actions, permissions."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone, translation
from django.utils.translation import gettext

from minbar.comments.models import Comment, CommentStatus
from minbar.comments.signals import comment_published
from minbar.moderation.models import BlockRule
from minbar.moderation.services import Reason, screen
from tests.factories import make_article, make_section

from .conftest import make_comment, moderator, network_hash

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/comments/comment/"
BULK = "/admin/bulk/comments/comment/"


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(moderator(django_user_model, "editor", group="Editors"))
    return client


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def bulk(client, action, comments, **extra):
    ids = "&".join(f"id={comment.pk}" for comment in comments)
    return client.post(f"{BULK}{action}/?{ids}&next={QUEUE}", extra)


def listed(response):
    return response.content.decode()


def test_editors_find_the_queue_in_the_admin_menu(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert QUEUE in html


def test_the_queue_lists_comments_with_their_article_status_and_note(editor_client, article):
    make_comment(article, author_name="هوزان", body="تعليق منشور عن السوق")
    held = make_comment(
        article, status=CommentStatus.PENDING, author_name="نرمين", body="تعليق ينتظر", moderation_note="أول تعليق"
    )
    html = listed(editor_client.get(QUEUE, {"status": "pending", "q": "نرمين"}))
    # Each action comes back to the listing as it was filtered.
    back = "next=%2Fadmin%2Fsnippets%2Fcomments%2Fcomment%2F%3Fstatus%3Dpending%26q%3D"
    for action in ("approve", "spam", "delete", "block"):
        assert f"{BULK}{action}/?id={held.pk}&amp;{back}" in html
    html = listed(editor_client.get(QUEUE))
    assert "هوزان" in html and "نرمين" in html
    assert "تعليق ينتظر" in html and "أول تعليق" in html
    assert article.title in html and article.url in html


def test_a_comment_is_shown_as_plain_text_never_as_html(editor_client, article):
    hostile = '<script>alert("x")</script>\n<img src=x onerror=alert(1)>'
    comment = make_comment(article, author_name="<b>x</b>", body=hostile)
    for url in (QUEUE, f"{QUEUE}inspect/{comment.pk}/"):
        html = listed(editor_client.get(url))
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>x</b>" not in html
        assert "&lt;script&gt;" in html


def test_the_queue_filters_by_status(editor_client, article):
    make_comment(article, body="تعليق منشور")
    make_comment(article, status=CommentStatus.PENDING, body="تعليق محجوز")
    make_comment(article, status=CommentStatus.SPAM, body="إعلان مزعج")
    html = listed(editor_client.get(QUEUE, {"status": "pending"}))
    assert "تعليق محجوز" in html and "تعليق منشور" not in html and "إعلان مزعج" not in html


def test_the_queue_filters_by_article_date_and_passage(editor_client, article):
    other = make_article(make_section("رياضة", slug="sport"), title="مباراة الأمس")
    make_comment(article, body="عن السوق")
    make_comment(other, body="عن المباراة")
    make_comment(article, body="عن فقرة بعينها", quote="تَمَّ إنجازها قبل موعدها")
    old = make_comment(article, body="تعليق قديم جداً")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))

    html = listed(editor_client.get(QUEUE, {"article": other.pk}))
    assert "عن المباراة" in html and "عن السوق" not in html

    html = listed(editor_client.get(QUEUE, {"on_passage": "true"}))
    assert "عن فقرة بعينها" in html and "عن السوق" not in html

    since = (timezone.now() - datetime.timedelta(days=7)).date().isoformat()
    html = listed(editor_client.get(QUEUE, {"created_at_from": since}))
    assert "عن السوق" in html and "تعليق قديم جداً" not in html


def test_the_queue_searches_names_addresses_and_text(editor_client, article):
    make_comment(article, author_name="دلوفان", author_email="dilovan@example.org", body="أسعار الخضار ارتفعت")
    make_comment(article, author_name="شيرين", author_email="shirin@example.org", body="الطرق مزدحمة")
    assert "شيرين" not in listed(editor_client.get(QUEUE, {"q": "دلوفان"}))
    html = listed(editor_client.get(QUEUE, {"q": "shirin@example"}))
    assert "شيرين" in html and "دلوفان" not in html
    html = listed(editor_client.get(QUEUE, {"q": "الخضار"}))
    assert "دلوفان" in html and "شيرين" not in html


def test_bulk_approve_publishes_and_announces_the_comments(editor_client, article, on_commit):
    held = [make_comment(article, status=CommentStatus.PENDING, body=f"تعليق محجوز {n}") for n in range(3)]
    announced = []

    def record(sender, comment, **kwargs):
        announced.append(comment.pk)

    comment_published.connect(record)
    try:
        confirm = editor_client.get(f"{BULK}approve/?id={held[0].pk}&id={held[1].pk}")
        assert confirm.status_code == 200 and "تعليق محجوز 0" in listed(confirm)
        with on_commit():
            response = bulk(editor_client, "approve", held[:2])
    finally:
        comment_published.disconnect(record)
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in held] == [CommentStatus.APPROVED, CommentStatus.APPROVED, CommentStatus.PENDING]
    assert sorted(announced) == sorted(c.pk for c in held[:2])


def test_bulk_spam_hides_the_comments(editor_client, article):
    spam = [make_comment(article, body=f"اربح المال {n}") for n in range(2)]
    bulk(editor_client, "spam", spam)
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.SPAM}


def test_bulk_delete_removes_comments_and_keeps_a_placeholder_for_one_with_replies(editor_client, article):
    parent = make_comment(article, body="تعليق له ردود")
    make_comment(article, parent=parent, depth=2, body="ردّ عليه")
    lonely = make_comment(article, body="تعليق وحيد")
    bulk(editor_client, "delete", [parent, lonely])
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    placeholder = Comment.objects.get(pk=parent.pk)
    assert placeholder.status == CommentStatus.DELETED and placeholder.body == ""
    assert Comment.objects.filter(body="ردّ عليه", status=CommentStatus.APPROVED).exists()


def test_block_sender_blocks_the_address_and_network_and_marks_spam(editor_client, article, submit):
    comment = make_comment(article, author_email="Spammer@Example.org", ip_hash=network_hash("198.51.100.9"))
    response = bulk(editor_client, "block", [comment])
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM
    assert set(BlockRule.objects.values_list("kind", "value")) == {
        ("email", "spammer@example.org"),
        ("ip_hash", network_hash("198.51.100.9")),
    }
    again = screen(submit(author_email="spammer@example.org", body="محاولة جديدة"))
    assert again.reasons == [Reason.BLOCKED_SENDER]
    with translation.override("ar"):
        assert set(BlockRule.objects.values_list("note", flat=True)) == {gettext("Blocked from the comments queue.")}


def test_a_comments_page_offers_the_actions_and_links_to_the_article(editor_client, article):
    comment = make_comment(article, status=CommentStatus.PENDING, body="سطر أول\nسطر ثان", moderation_note="رابط محظور")
    html = listed(editor_client.get(f"{QUEUE}inspect/{comment.pk}/"))
    assert f"{article.url}#comment-{comment.pk}" in html
    assert "سطر أول<br>سطر ثان" in html and "رابط محظور" in html
    for action in ("approve", "spam", "delete", "block"):
        assert f"{BULK}{action}/?id={comment.pk}" in html


def test_a_user_without_the_permission_cannot_see_or_moderate(client, django_user_model, article):
    writer = django_user_model.objects.create_user("writer", "writer@newsroom.example", "pw")
    writer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(writer)
    held = make_comment(article, status=CommentStatus.PENDING, body="تعليق محجوز")
    assert QUEUE not in client.get("/admin/").content.decode()
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.get(f"{QUEUE}inspect/{held.pk}/").status_code in (302, 403)
    for action in ("approve", "spam", "delete", "block"):
        bulk(client, action, [held])
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.PENDING
    assert not BlockRule.objects.exists()


def test_a_moderator_without_delete_permission_cannot_delete(client, django_user_model, article):
    group = Group.objects.create(name="Comment approvers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="comments", codename="change_comment"),
    )
    approver = django_user_model.objects.create_user("approver", "approver@newsroom.example", "pw")
    approver.groups.add(group)
    client.force_login(approver)
    comment = make_comment(article, status=CommentStatus.PENDING)
    bulk(client, "delete", [comment])
    assert Comment.objects.filter(pk=comment.pk).exists()
    bulk(client, "approve", [comment])
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED


def test_nobody_adds_or_edits_comments_through_generic_forms(client, django_user_model, article):
    client.force_login(django_user_model.objects.create_superuser("root", "root@newsroom.example", "pw"))
    comment = make_comment(article, status=CommentStatus.PENDING)
    assert client.get(f"{QUEUE}add/").status_code in (302, 403)
    response = client.post(f"{QUEUE}edit/{comment.pk}/", {"status": "approved", "body": "نص مزوّر"})
    assert response.status_code in (302, 403)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
    assert client.post(f"{QUEUE}delete/{comment.pk}/").status_code in (302, 403)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_dashboard_counts_held_comments(editor_client, article):
    html = listed(editor_client.get("/admin/"))
    assert 'id="held-comments' in html or "held-comments" in html
    assert f"{QUEUE}?status=pending" not in html and " (2)" not in html
    for n in range(2):
        make_comment(article, status=CommentStatus.PENDING, body=f"محجوز {n}")
    html = listed(editor_client.get("/admin/"))
    assert f"{QUEUE}?status=pending" in html
    assert " (2)" in html  # the menu item: "Comments (2)"
