"""Editors are e-mailed about held comments: the right people, safe headers, one e-mail per wave."""

import datetime

import pytest
from django.core import mail
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from minbar.comments.models import Comment, CommentStatus
from minbar.moderation import notify
from minbar.moderation.models import EditorNotice
from minbar.newsroom.models import ArticlePage

from .conftest import make_comment, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def editors(django_user_model):
    return [
        moderator(django_user_model, "editor", group="Editors"),
        moderator(django_user_model, "moderator", group="Moderators"),
    ]


def hold(article, on_commit, **fields):
    with on_commit():
        return make_comment(article, status=CommentStatus.PENDING, **fields)


def a_quiet_spell_passes(minutes=11):
    """Move everything that happened so far `minutes` into the past."""
    earlier = datetime.timedelta(minutes=minutes)
    EditorNotice.objects.update(last_sent_at=F("last_sent_at") - earlier)
    Comment.objects.update(created_at=F("created_at") - earlier)


def test_a_held_comment_emails_everyone_who_may_moderate(article, editors, on_commit, django_user_model):
    django_user_model.objects.create_user("writer", "writer@newsroom.example", "pw")
    django_user_model.objects.create_superuser("root", "root@newsroom.example", "pw")
    no_address = moderator(django_user_model, "silent", email="x@y.example")
    django_user_model.objects.filter(pk=no_address.pk).update(email="")
    hold(article, on_commit)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["editor@newsroom.example", "moderator@newsroom.example", "root@newsroom.example"]


def test_the_email_names_the_article_and_links_to_the_queue_but_quotes_no_reader(article, editors, on_commit):
    hold(article, on_commit, author_name="مرسل مجهول", author_email="unknown@example.org", body="نص التعليق المحجوز")
    message = mail.outbox[0]
    assert article.title in message.subject
    assert article.title in message.body
    assert "/admin/snippets/comments/comment/?status=pending" in message.body
    for reader_input in ("مرسل مجهول", "unknown@example.org", "نص التعليق المحجوز"):
        assert reader_input not in message.subject and reader_input not in message.body


def test_an_approved_comment_emails_nobody(article, editors, on_commit):
    with on_commit():
        make_comment(article, status=CommentStatus.APPROVED)
    assert mail.outbox == []


def test_a_wave_of_spam_sends_one_email_then_one_digest_after_the_interval(article, editors, on_commit):
    hold(article, on_commit, body="أول تعليق")
    assert len(mail.outbox) == 2  # one per editor
    for n in range(30):
        hold(article, on_commit, body=f"إعلان رقم {n}")
    assert len(mail.outbox) == 2
    a_quiet_spell_passes()
    hold(article, on_commit, body="تعليق بعد الهدوء")
    assert len(mail.outbox) == 4
    # The editors' admin language is Arabic: the digest speaks it, plural forms included.
    assert "31 تعليقًا جديدًا تنتظر المراجعة." in mail.outbox[-1].body
    assert "32 تعليقًا تنتظر إجمالًا." in mail.outbox[-1].body


def test_the_subject_is_one_short_line_whatever_the_title(article, editors, on_commit):
    ArticlePage.objects.filter(pk=article.pk).update(title="عنوان\r\nBcc: victim@example.org " + "طويل " * 40)
    hold(article, on_commit)
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert len(message.subject) < 120
        assert message.bcc == [] and message.cc == [] and len(message.to) == 1


def test_each_editor_reads_the_email_in_their_admin_language(article, editors, on_commit):
    profile = UserProfile.get_for_user(editors[1])
    profile.preferred_language = "en"
    profile.save()
    hold(article, on_commit)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["moderator@newsroom.example"] == f"Comments awaiting review: {article.title}"
    with translation.override("ar"):
        expected = gettext("Comments awaiting review: %(title)s") % {"title": article.title}
    assert subjects["editor@newsroom.example"] == expected


def test_with_a_queue_that_can_wait_the_digest_is_queued_for_the_end_of_the_interval(
    article, editors, on_commit, settings
):
    hold(article, on_commit)
    sent_at = EditorNotice.objects.get().last_sent_at
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from minbar.moderation.tasks import send_held_comments_notice

    backend = send_held_comments_notice.get_backend()
    for n in range(5):
        hold(article, on_commit, body=f"موجة {n}")
    assert len(backend.results) == 1
    assert backend.results[0].task.run_after == sent_at + notify.notice_interval()
    assert len(mail.outbox) == 2


def test_a_failing_mail_server_does_not_stop_the_other_editors(article, editors, on_commit, monkeypatch):
    real_send = mail.EmailMessage.send

    def flaky_send(message, *args, **kwargs):
        if message.to == ["editor@newsroom.example"]:
            raise ConnectionRefusedError("mail server down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky_send)
    hold(article, on_commit)
    assert [message.to for message in mail.outbox] == [["moderator@newsroom.example"]]


def test_the_site_may_set_its_own_interval(article, editors, on_commit, settings):
    settings.MINBAR_MODERATION_NOTICE_MINUTES = 60
    hold(article, on_commit, body="الأول")
    a_quiet_spell_passes(minutes=30)
    hold(article, on_commit, body="الثاني")
    assert len(mail.outbox) == 2
    a_quiet_spell_passes(minutes=31)
    hold(article, on_commit, body="الثالث")
    assert len(mail.outbox) == 4


def test_a_notice_task_lost_by_a_crashed_worker_does_not_silence_editors_for_good(article, editors, on_commit):
    hold(article, on_commit, body="الأول")
    # A notice was queued long ago and its worker died before running it.
    EditorNotice.objects.update(scheduled_for=timezone.now() - datetime.timedelta(hours=2))
    a_quiet_spell_passes()
    hold(article, on_commit, body="بعد توقف العامل")
    assert len(mail.outbox) == 4
