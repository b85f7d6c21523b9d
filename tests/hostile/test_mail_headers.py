"""Header injection through names and addresses, checked on the messages actually sent (locmem backend)
for every kind of mail: subscription confirmation, new-comment notification, data-page link, editors'
notice of held comments."""

import re
from email import message_from_bytes
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from django.core import mail as django_mail

from minbar.comments.models import Comment
from minbar.newsroom.models import ArticlePage
from minbar.subscriptions.models import Subscription

from .conftest import JSON, MARK, SAME_ORIGIN, XSS, assert_inert, comment_form, shown, stored

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "سامر\r\nBcc: everyone@example.org",
    "سامر\nSubject: ربحت جائزة",
    "سامر\rTo: victim@example.org",
    "سامر%0d%0aBcc: everyone@example.org",
    "=?utf-8?q?=0D=0ABcc:_everyone@example.org?=",
    "سامر\u2028Bcc: everyone@example.org",
    "سامر\u0085Bcc: everyone@example.org",
    "\u202eسامر <everyone@example.org>",
]
HOSTILE_ADDRESSES = [
    "nada@example.org\r\nBcc: everyone@example.org",
    "nada@example.org\nCc: everyone@example.org",
    "nada@example.org%0d%0aBcc:everyone@example.org",
    "nada@example.org,everyone@example.org",
    "nada@example.org;everyone@example.org",
    "Nada <nada@example.org>",
    '"nada\r\nBcc: x"@example.org',
    "nada@example.org\x00Bcc: everyone@example.org",
    "nada@example.org\u2028Bcc: everyone@example.org",
]


def header_block(message):
    raw = message.message().as_bytes()
    return raw.split(b"\n\n", 1)[0].decode("ascii")


def assert_clean_headers(message, address):
    """One To (the reader), no Cc/Bcc, every header one logical line, nothing a reader typed turned into a header."""
    assert message.to == [address] and not message.cc and not message.bcc
    assert message.recipients() == [address]
    block = header_block(message)
    names = [line.split(":", 1)[0].lower() for line in block.split("\n") if line and not line[0].isspace()]
    assert "bcc" not in names and "cc" not in names, block
    assert names.count("to") == 1 and names.count("subject") == 1 and names.count("from") == 1, block
    parsed = message_from_bytes(message.message().as_bytes())
    assert str(make_header(decode_header(parsed["To"]))) == address
    subject = str(make_header(decode_header(parsed["Subject"])))
    assert not re.search(r"[\r\n\u2028\u2029\x85]", subject), subject
    assert "everyone@example.org" not in block and "victim@example.org" not in block
    assert message.subject == message.subject.strip() and "\n" not in message.subject


def html_of(message):
    return next(content for content, kind in message.alternatives if kind == "text/html")


@pytest.fixture
def reader(client, django_capture_on_commit_callbacks):
    class Reader:
        def post(self, path, data, **headers):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(path, data, **{**SAME_ORIGIN, **headers})

        def get(self, path):
            return client.get(path)

    return Reader()


def link_in(message, fragment):
    url = next(url for url in re.findall(r"https?://[^\s<>\"]+", message.body) if fragment in url)
    return urlsplit(url).path


def subscribe_and_confirm(reader, article, address):
    response = reader.post("/subscriptions/", {"email": address, "notify": "comments", "article": article.pk})
    assert response.status_code == 200
    [confirmation] = django_mail.outbox
    assert_clean_headers(confirmation, address)
    assert reader.post(link_in(confirmation, "/confirm/"), {}).status_code == 200
    django_mail.outbox = []


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_commenter_name_stays_out_of_the_notifications_headers(reader, article, name, settings):
    subscribe_and_confirm(reader, article, "nada@example.org")
    response = reader.post(f"/comments/article/{article.pk}/", comment_form(
        author_name=name, author_email="samer@example.org", text="<img src=x onerror=alert(7331)> رأيي"))
    assert response.status_code == 303
    [notification] = django_mail.outbox
    assert_clean_headers(notification, "nada@example.org")
    assert notification.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The name is in the message, on one line, without direction controls; the HTML part is inert.
    stored_name = Comment.objects.get().author_name
    assert "\n" not in stored_name and "\r" not in stored_name and "\u202e" not in stored_name
    assert stored_name in notification.body
    assert "<img src=x" not in html_of(notification)
    assert_inert(html_of(notification))


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_a_hostile_address_is_refused_by_every_form_that_mails(reader, article, address):
    stored(article=article, author_email="nada@example.org")
    before = list(Comment.objects.values_list("pk", "body"))
    forms = [
        ("/subscriptions/", {"email": address, "notify": "comments", "article": article.pk}),
        ("/subscriptions/mine/", {"email": address}),
        (f"/comments/article/{article.pk}/", comment_form(author_email=address, notify_replies="on", text="تعليقي")),
    ]
    for path, data in forms:
        response = reader.post(path, data)
        assert response.status_code == 400, path
        html = response.content.decode()
        assert shown("Enter a valid e-mail address.") in html or shown(
            "Enter an e-mail address such as name@example.com.") in html or shown(
            "Null characters are not allowed.") in html, path
        assert_inert(html)
        if path != "/subscriptions/mine/":  # the data-page form has no script: no JSON answer
            response = reader.post(path, data, **JSON)
            assert response.status_code == 400 and response.json()["ok"] is False
    assert django_mail.outbox == []
    assert not Subscription.objects.exists()
    assert list(Comment.objects.values_list("pk", "body")) == before


@pytest.mark.parametrize("name", HOSTILE_NAMES[:4])
def test_the_notify_me_box_of_the_comment_form_mails_a_clean_confirmation(reader, article, name):
    response = reader.post(f"/comments/article/{article.pk}/", comment_form(
        author_name=name, author_email="Nada@Example.org", notify_replies="on", text="أريد أن أعرف من يرد"))
    assert response.status_code == 303
    [confirmation] = django_mail.outbox
    assert_clean_headers(confirmation, "nada@example.org")


def test_the_data_page_link_goes_only_to_the_address_asked_for(reader, article):
    stored(article=article, author_email="nada@example.org", author_name="ندى\r\nBcc: everyone@example.org")
    response = reader.post("/subscriptions/mine/", {"email": "nada@example.org"})
    assert response.status_code == 200
    [access] = django_mail.outbox
    assert_clean_headers(access, "nada@example.org")
    # The data page shows the stored name and body inert.
    page = reader.get(link_in(access, "/subscriptions/mine/"))
    assert page.status_code == 200
    assert_inert(page.content.decode())


@pytest.mark.parametrize("payload", XSS[:5])
def test_the_data_page_shows_hostile_comments_and_subscriptions_inert(reader, article, payload):
    ArticlePage.objects.filter(pk=article.pk).update(title=f"عنوان {payload}")
    article.refresh_from_db()
    reader.post(f"/comments/article/{article.pk}/", comment_form(
        author_name=payload[:80], author_email="nada@example.org", notify_replies="on", text=payload))
    reader.post("/subscriptions/mine/", {"email": "nada@example.org"})
    access = django_mail.outbox[-1]
    assert_clean_headers(access, "nada@example.org")
    html = reader.get(link_in(access, "/subscriptions/mine/")).content.decode()
    assert_inert(html)
    assert MARK in html  # the comment is listed, as text
    for message in django_mail.outbox:
        assert_inert(html_of(message))


@pytest.mark.parametrize("action, item", [("comment", "1 OR 1=1"), ("comment", "-1"), ("all'--", ""),
                                          ("subscription", "<script>"), ("comment", "99999999")])
def test_forged_deletions_on_the_data_page_delete_nothing(reader, article, action, item):
    from minbar.subscriptions import mydata

    mine = stored(article=article, author_email="nada@example.org")
    theirs = stored(article=article, author_email="other@example.org", body="تعليق قارئ آخر")
    token = mydata.new_access_token("nada@example.org")
    reader.post(f"/subscriptions/mine/{token}/", {"action": action, "id": item})
    reader.post(f"/subscriptions/mine/{token}/", {"action": "comment", "id": theirs.pk})
    assert set(Comment.objects.filter(status="approved").values_list("pk", flat=True)) == {mine.pk, theirs.pk}


def test_the_editors_notice_of_held_comments_has_clean_headers_and_no_reader_text(reader, article, discussion,
                                                                                   django_user_model):
    discussion.moderation = "all"
    discussion.save()
    django_user_model.objects.create_superuser("editor", "editor@example.org", "x")
    ArticlePage.objects.filter(pk=article.pk).update(title="عنوان\r\nBcc: everyone@example.org")
    response = reader.post(f"/comments/article/{article.pk}/", comment_form(
        author_name="سامر\r\nBcc: everyone@example.org", text="<script>alert(7331)</script> رأي محجوز"))
    assert response.status_code == 303
    [notice] = django_mail.outbox
    assert_clean_headers(notice, "editor@example.org")
    assert "سامر" not in notice.body and MARK not in notice.body
