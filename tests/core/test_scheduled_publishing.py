"""Scheduled articles go live when their time comes, through the worker."""

import datetime
import time

import pytest
from django.utils import timezone

from minbar.core.worker import publish_due_pages
from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _schedule(article, when):
    article.go_live_at = when
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def test_scheduled_article_is_hidden_until_due_then_published_by_worker(client):
    article = make_article(make_section(), title="مقال مجدول", live=False)
    article = _schedule(article, timezone.now() + datetime.timedelta(seconds=2))
    assert not article.live
    assert client.get(article.url).status_code == 404

    publish_due_pages()
    assert not ArticlePage.objects.get(pk=article.pk).live, "published before its time"

    time.sleep(2.5)
    publish_due_pages()
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert "مقال مجدول" in client.get(article.url).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_loop_publishes_on_time_by_itself():
    """The loop `minbar worker` runs beside the task queue, in its own thread."""
    import threading

    from minbar.core.worker import _publish_due_pages_forever

    article = make_article(make_section(), title="مقال ينشر وحده", live=False)
    _schedule(article, timezone.now() + datetime.timedelta(seconds=1))
    stop = threading.Event()
    loop = threading.Thread(target=_publish_due_pages_forever, args=(0.2, stop), daemon=True)
    loop.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not ArticlePage.objects.get(pk=article.pk).live:
            time.sleep(0.2)
    finally:
        stop.set()
        loop.join(timeout=5)
    assert ArticlePage.objects.get(pk=article.pk).live
