"""Search tests run on the engine of the database in use: FTS5 on SQLite, tsvector on PostgreSQL.

The same tests run in both suites (`pytest tests/search` and
`MINBAR_TEST_DATABASE=postgres pytest tests/search`); only the tests in
test_engines.py that look inside one engine's storage are tied to it.

Publishing queues indexing on commit; these helpers build articles inside
`django_capture_on_commit_callbacks(execute=True)`, so that the queued tasks
run (at once, with the test settings' ImmediateBackend) as they would after
an editor's request commits.
"""

import pytest

from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_section


def paragraphs(*sentences):
    return "".join(f"<p>{sentence}</p>" for sentence in sentences)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """A context manager running what was queued on commit when it exits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def publish(on_commit):
    """make_article (title and body required), with the index updated as after a real commit."""

    def build(section, title, body, **kwargs):
        with on_commit():
            return make_article(section, title=title, body=body, **kwargs)

    return build


@pytest.fixture
def republish(on_commit):
    """Publish a new revision of `article` with `changes` applied, as an editor would."""

    def edit(article, **changes):
        with on_commit():
            page = ArticlePage.objects.get(pk=article.pk)
            for name, value in changes.items():
                setattr(page, name, value)
            page.save_revision().publish()
        return ArticlePage.objects.get(pk=article.pk)

    return edit


@pytest.fixture
def unpublish(on_commit):
    def take_down(article):
        with on_commit():
            ArticlePage.objects.get(pk=article.pk).unpublish()

    return take_down


@pytest.fixture
def section(db):
    return make_section("أخبار", slug="news")


@pytest.fixture
def other_section(db):
    return make_section("مقالات رأي", slug="opinion")
