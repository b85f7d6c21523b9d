"""Search tests run on the engine of the database in use: FTS5 on SQLite, tsvector on PostgreSQL.

Publishing queues indexing on commit; these helpers build articles inside
`django_capture_on_commit_callbacks(execute=True)`, so that the queued tasks
run (at once, with the test settings' ImmediateBackend) as they would after
an editor's request commits.
"""

import pytest

from tests.factories import make_article, make_section


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """A context manager running what was queued on commit when it exits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def publish(on_commit):
    """make_article, with the index updated as after a real commit."""

    def build(section, title, body, **kwargs):
        with on_commit():
            return make_article(section, title=title, body=body, **kwargs)

    return build


@pytest.fixture
def section(db):
    return make_section("أخبار", slug="news")
