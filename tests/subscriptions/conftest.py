import re
import secrets
from urllib.parse import urlsplit

import pytest
from django.core import mail as django_mail

from minbar.comments.models import Comment, CommentStatus
from minbar.comments.services import set_status
from tests.factories import make_article, make_section

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    # Rate-limit counters are keyed by hashes made with this key: a new key
    # per test gives every test fresh windows without flushing a cache that
    # other test runs may share.
    settings.MINBAR_READER_HASH_KEY = secrets.token_hex(16)
    settings.MINBAR_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def article(db):
    return make_article(make_section(), title="جدل حول موازنة البلدية")


@pytest.fixture
def other_article(db):
    return make_article(make_section(title="ثقافة"), title="معرض الكتاب يفتح أبوابه")


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(message):
    return re.findall(r"https?://[^\s<>\"]+", message.body)


def link_to(message, fragment):
    return next(path_of(url) for url in links_in(message) if fragment in url)


def outbox_to(address):
    return [message for message in django_mail.outbox if address in message.to]


@pytest.fixture
def reader(client, django_capture_on_commit_callbacks):
    """The test client, with on-commit work (queued e-mails) run as a real request would."""

    class Reader:
        def __init__(self):
            self.client = client

        def post(self, path, data=None, **headers):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(path, data or {}, **{**SAME_ORIGIN, **headers})

        def get(self, path, **headers):
            return client.get(path, **headers)

        def subscribe(self, article, email, notify="comments", **extra):
            return self.post("/subscriptions/", {"email": email, "notify": notify, "article": article.pk, **extra})

        def confirm(self, address):
            return confirm_via_mail(self, address)

    return Reader()


def confirm_via_mail(reader, address):
    """Follow the confirmation link of the latest confirmation mail to `address` and press the button."""
    message = outbox_to(address)[-1]
    path = link_to(message, "/confirm/")
    page = reader.get(path)
    assert page.status_code == 200
    response = reader.post(path)
    assert response.status_code == 200
    return response


def publish_comment(article, *, name="قارئ", email="", body="تعليق على المقال.", parent=None, capture=None):
    """A comment made visible the way moderation does it, so comment_published is sent on commit."""
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        depth=(parent.depth + 1) if parent else 1,
        author_name=name,
        author_email=email,
        body=body,
        status=CommentStatus.PENDING,
    )
    with capture(execute=True):
        set_status([comment], CommentStatus.APPROVED)
    comment.refresh_from_db()
    return comment
