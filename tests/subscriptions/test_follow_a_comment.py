"""A reader follows the replies to one comment from the link under it."""

import re

import pytest
from django.core import mail as django_mail

from .conftest import outbox_to, publish_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def _publish(article, **kwargs):
        return publish_comment(article, capture=django_capture_on_commit_callbacks, **kwargs)

    return _publish


def test_the_link_under_a_comment_leads_to_a_form_for_its_replies(reader, article, publish, settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 0
    followed = publish(article, name="سامر", body="رأيي أن الموازنة تأخرت كثيراً.")
    page = reader.get(article.url).content.decode()
    link = re.search(r'<a class="comment-follow" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert link == f"/subscriptions/?article={article.pk}&comment={followed.pk}"

    form = reader.get(link)
    assert form.status_code == 200
    html = form.content.decode()
    assert "سامر" in html and "رأيي أن الموازنة تأخرت كثيراً." in html
    assert re.search(r'<input type="radio" name="notify" value="thread" checked>', html)
    assert f'name="comment" value="{followed.pk}"' in html
    assert django_mail.outbox == [], "showing the form sent an e-mail"


def test_following_then_a_reply_to_that_comment_and_not_another(reader, article, publish):
    followed = publish(article, name="سامر", body="تعليق يتابعه أحد.")
    other = publish(article, name="ريم", body="تعليق لا يتابعه أحد.")
    reader.subscribe(article, "huda@example.org", notify="thread", comment=followed.pk)
    reader.confirm("huda@example.org")
    django_mail.outbox.clear()

    publish(article, name="كاوە", body="ردّ على تعليق آخر.", parent=other)
    assert outbox_to("huda@example.org") == []
    reply = publish(article, name="كاوە", body="ردّ على التعليق المتابَع.", parent=followed)
    [message] = outbox_to("huda@example.org")
    assert f"#comment-{reply.pk}" in message.body


@pytest.mark.parametrize("query", ["", "?article=1", "?article=abc&comment=1", "?article=999999&comment=999999"])
def test_a_link_naming_no_followable_comment_is_not_found(reader, article, query):
    assert reader.get(f"/subscriptions/{query}").status_code == 404


def test_a_pending_comment_cannot_be_followed(reader, article):
    from minbar.comments.models import Comment, CommentStatus

    pending = Comment.objects.create(article=article, author_name="مجهول", body="بانتظار المراجعة", status=CommentStatus.PENDING)
    assert reader.get(f"/subscriptions/?article={article.pk}&comment={pending.pk}").status_code == 404
