"""The my-data page: prove the address, see everything, delete any of it or all."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from minbar.comments.models import Comment, CommentStatus
from minbar.subscriptions.models import AccessToken, Subscription

from .conftest import link_to, outbox_to, publish_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def _publish(article, **kwargs):
        return publish_comment(article, capture=django_capture_on_commit_callbacks, **kwargs)

    return _publish


def data_page_path(reader, address):
    response = reader.post("/subscriptions/mine/", {"email": address})
    assert response.status_code == 200
    [message] = outbox_to(address)[-1:]
    return link_to(message, "/subscriptions/mine/")


def test_the_page_answers_the_same_for_known_and_unknown_addresses(reader, article, publish):
    publish(article, name="هدى", email="huda@example.org")

    known = reader.post("/subscriptions/mine/", {"email": "huda@example.org"})
    unknown = reader.post("/subscriptions/mine/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert known.content.decode().replace("huda@example.org", "") == unknown.content.decode().replace("nobody@example.org", "")
    # …but only an address with something here gets mail: the form cannot be used to write to strangers.
    assert len(outbox_to("huda@example.org")) == 1 and outbox_to("nobody@example.org") == []


def test_the_link_shows_comments_and_subscriptions_of_that_address_only(reader, article, publish):
    publish(article, name="هدى", email="Huda@Example.org", body="تعليقي الأول على الموازنة.")
    publish(article, name="سامر", email="samer@example.org", body="تعليق شخص آخر.")
    reader.subscribe(article, "huda@example.org")

    page = reader.get(data_page_path(reader, "huda@example.org"))

    body = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "no-referrer"
    assert "تعليقي الأول على الموازنة." in body and "تعليق شخص آخر." not in body
    assert article.title in body


def test_the_token_is_stored_only_as_a_hash(reader, article, publish):
    publish(article, name="هدى", email="huda@example.org")
    path = data_page_path(reader, "huda@example.org")
    token = path.rstrip("/").rsplit("/", 1)[1]

    row = AccessToken.objects.get()
    assert token not in row.token_hash and len(row.token_hash) == 40


def test_expired_or_unknown_links_show_the_request_form(reader, article, publish):
    publish(article, name="هدى", email="huda@example.org")
    path = data_page_path(reader, "huda@example.org")
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert reader.get(path).status_code == 404
    assert reader.get("/subscriptions/mine/madeup/").status_code == 404


def test_deleting_one_comment_and_one_subscription(reader, article, publish):
    mine = publish(article, name="هدى", email="huda@example.org", body="سأحذف هذا.")
    kept = publish(article, name="هدى", email="huda@example.org", body="وهذا يبقى.")
    reader.subscribe(article, "huda@example.org")
    path = data_page_path(reader, "huda@example.org")

    response = reader.post(path, {"action": "comment", "id": mine.pk})
    assert response.status_code == 303
    assert not Comment.objects.filter(pk=mine.pk).exists() and Comment.objects.filter(pk=kept.pk).exists()

    reader.post(path, {"action": "subscription", "id": Subscription.objects.get().pk})
    assert not Subscription.objects.exists()


def test_another_readers_comment_cannot_be_deleted_with_my_link(reader, article, publish):
    theirs = publish(article, name="سامر", email="samer@example.org")
    publish(article, name="هدى", email="huda@example.org")
    path = data_page_path(reader, "huda@example.org")

    reader.post(path, {"action": "comment", "id": theirs.pk})

    assert Comment.objects.get(pk=theirs.pk).status == CommentStatus.APPROVED


def test_delete_all_keeps_replies_of_others_under_a_placeholder(reader, article, publish):
    mine = publish(article, name="هدى", email="huda@example.org", body="تعليقي.")
    reply = publish(article, name="سامر", email="samer@example.org", parent=mine, body="رد سامر يبقى.")
    alone = publish(article, name="هدى", email="huda@example.org", body="تعليق بلا ردود.")
    reader.subscribe(article, "huda@example.org", notify="replies")
    path = data_page_path(reader, "huda@example.org")

    reader.post(path, {"action": "all"})

    placeholder = Comment.objects.get(pk=mine.pk)
    assert placeholder.status == CommentStatus.DELETED and placeholder.body == "" and placeholder.author_email == ""
    assert Comment.objects.filter(pk=reply.pk, status=CommentStatus.APPROVED).exists()
    assert not Comment.objects.filter(pk=alone.pk).exists()
    assert not Subscription.objects.exists()
    after = reader.get(path).content.decode()
    assert "تعليقي." not in after


def test_data_links_are_rate_limited(reader, settings, article, publish):
    publish(article, name="هدى", email="huda@example.org")
    settings.MINBAR_SUBSCRIPTION_MAILS_PER_ADDRESS = 2
    for _ in range(2):
        assert reader.post("/subscriptions/mine/", {"email": "huda@example.org"}).status_code == 200
    limited = reader.post("/subscriptions/mine/", {"email": "huda@example.org"})

    assert limited.status_code == 429
    assert 'value="huda@example.org"' in limited.content.decode()
    assert len(django_mail.outbox) == 2


def test_data_page_post_from_another_site_is_refused(reader, client, article, publish):
    mine = publish(article, name="هدى", email="huda@example.org")
    path = data_page_path(reader, "huda@example.org")

    response = client.post(path, {"action": "all"}, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert Comment.objects.filter(pk=mine.pk).exists()
