import time

import pytest

from minbar.comments.models import Comment, CommentStatus
from minbar.moderation.forms import form_timestamp
from minbar.moderation.models import DiscussionSettings
from tests.concurrency.conftest import concurrency_migrated_rows, shared_database  # noqa: F401 (fixtures)
from tests.factories import make_article, make_section

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}


@pytest.fixture
def article(db):
    return make_article(make_section(), title="مقال للنقاش")


@pytest.fixture
def no_page_cache(settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def discussion(db):
    """Site discussion settings that publish at once (moderation has its own tests)."""
    settings = DiscussionSettings.load()
    settings.moderation = "none"
    settings.save()
    return settings


def form_data(**fields):
    data = {
        "text": "رأي في المقال: الترميم تأخر كثيرًا.",
        "author_name": "سلمى",
        "author_email": "salma@example.org",
        # Rendered ten seconds ago, like a form a person filled in.
        "started": form_timestamp(time.time() - 10),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post(client, article, as_json=False, **fields):
    headers = JSON if as_json else SAME_ORIGIN
    return client.post(f"/comments/article/{article.pk}/", form_data(**fields), **headers)


def make_comment(article, *, parent=None, status=CommentStatus.APPROVED, **fields):
    """A stored comment, placed as posting would place it."""
    values = {
        "author_name": "قارئ",
        "author_email": "reader@example.org",
        "body": "تعليق للاختبار",
        "depth": parent.depth + 1 if parent else 1,
    }
    values.update(fields)
    return Comment.objects.create(article=article, parent=parent, status=status, **values)
