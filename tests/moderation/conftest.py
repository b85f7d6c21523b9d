"""Builders for moderation tests: an article, comments already posted, submissions, moderators."""

import itertools

import pytest
from django.contrib.auth.models import Group

from minbar.comments.models import Comment, CommentStatus
from minbar.moderation.models import DiscussionSettings
from minbar.moderation.services import Submission
from minbar.readers.identity import Reader, hash_value
from tests.factories import make_article, make_section

_counter = itertools.count(1)

COMMENT_TEXT = "شكراً على هذا المقال، فقد شرح ما جرى في السوق القديم بوضوح."

def network_hash(ip="203.0.113.7"):
    return hash_value("ip", ip)

def make_comment(article, status=CommentStatus.APPROVED, body=COMMENT_TEXT, **fields):
    defaults = {
        "author_name": "سلمى",
        "author_email": f"reader{next(_counter)}@example.org",
        "ip_hash": network_hash(),
        "reader_key": "",
    }
    defaults.update(fields)
    return Comment.objects.create(article=article, status=status, body=body, **defaults)

@pytest.fixture
def article(db):
    return make_article(make_section("مجتمع", slug="society"), title="ترميم السوق القديم")

@pytest.fixture
def discussion(db):
    settings = DiscussionSettings.load()
    settings.moderation = "none"
    settings.save()
    return settings

@pytest.fixture
def submit(article, discussion):
    """A Submission as the comments app builds it, sent 30 seconds after the form was shown."""

    def build(body=COMMENT_TEXT, **fields):
        values = {
            "article": article,
            "author_name": "سلمى",
            "author_email": "salma@example.org",
            "author_url": "",
            "body": body,
            "reader": Reader(token="", ip_hash=network_hash()),
            "seconds_on_form": 30.0,
        }
        values.update(fields)
        return Submission(**values)

    return build

def moderator(django_user_model, username="moderator", group="Moderators", email=None):
    user = django_user_model.objects.create_user(username, email or f"{username}@newsroom.example", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user
