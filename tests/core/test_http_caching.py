"""What browsers and CDNs are told about cached pages, and what the cache does when things fail."""

import time
from unittest import mock

import pytest
from django.http import HttpResponse
from django.test import override_settings

from minbar.comments.models import Comment, CommentStatus
from minbar.core import page_cache
from minbar.moderation import actions
from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

purged = []


def record_purge(keys, urls):
    """A CDN purge function, as a site would configure one (MINBAR_CDN_PURGE)."""
    purged.append((keys, urls))


@pytest.fixture
def article():
    return make_article(make_section(), title="مقال للتخزين", slug="cached-article")


def test_a_browser_with_the_current_copy_gets_304_without_a_body(client, article):
    first = client.get(article.url)
    assert first["X-Cache"] == "miss"
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    again = client.get(article.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "s-maxage" in again["Cache-Control"]
    by_date = client.get(article.url, HTTP_IF_MODIFIED_SINCE=modified)
    assert by_date.status_code == 304


def test_a_browser_with_an_old_copy_gets_the_new_page(client, article, django_capture_on_commit_callbacks):
    etag = client.get(article.url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        comment = Comment.objects.create(article=article, author_name="قارئة", body="تعليق جديد", status=CommentStatus.PENDING)
        actions.approve([comment])
    response = client.get(article.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "تعليق جديد" in response.content.decode()
    assert response["ETag"] != etag


def test_head_is_answered_from_the_cached_page_without_a_body(client, article):
    client.get(article.url)
    response = client.head(article.url)
    assert response.status_code == 200
    assert response["X-Cache"] == "hit"
    assert response.content == b""


def test_cdns_are_told_how_long_to_keep_and_when_to_serve_stale(client, article, settings):
    cache_control = client.get(article.url)["Cache-Control"]
    assert f"s-maxage={settings.MINBAR_PAGE_CACHE_SECONDS}" in cache_control
    assert f"max-age={settings.MINBAR_BROWSER_CACHE_SECONDS}" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert f"stale-if-error={settings.MINBAR_PAGE_STALE_IF_ERROR_SECONDS}" in cache_control


def test_surrogate_keys_name_what_the_page_shows_when_asked_for(client, article, settings):
    assert "Surrogate-Key" not in client.get(article.url)
    settings.MINBAR_SURROGATE_KEY_HEADER = "Surrogate-Key"
    keys = client.get(article.url)["Surrogate-Key"].split()
    assert page_cache.page_key(article.pk) in keys
    assert page_cache.discussion_key(article.pk) in keys
    assert "site" in keys


def test_when_the_page_cannot_be_rendered_the_last_copy_is_sent(client, article):
    """The database is down (the inner answer is a 503): readers get the page they would have had."""
    client.get(article.url)
    page_cache.invalidate_article(article.pk)  # the copy is no longer current
    with mock.patch.object(ArticlePage, "serve", return_value=HttpResponse("unavailable", status=503)):
        response = client.get(article.url)
    assert response.status_code == 200
    assert response["X-Cache"] == "stale"
    assert "مقال للتخزين" in response.content.decode()
    # Nobody downstream keeps a stale copy as if it were fresh.
    assert "max-age=0" in response["Cache-Control"]


def test_a_copy_past_its_freshness_is_kept_for_errors_only(client, article, settings):
    client.get(article.url)
    later = time.time() + settings.MINBAR_PAGE_CACHE_SECONDS + 1
    with mock.patch("minbar.core.page_cache.time.time", return_value=later):
        assert client.get(article.url)["X-Cache"] == "miss"
    page_cache.invalidate_article(article.pk)
    with mock.patch.object(ArticlePage, "serve", return_value=HttpResponse("unavailable", status=503)):
        assert client.get(article.url)["X-Cache"] == "stale"


def test_a_503_without_any_copy_is_passed_on(client, article):
    with mock.patch.object(ArticlePage, "serve", return_value=HttpResponse("unavailable", status=503)):
        response = client.get(article.url)
    assert response.status_code == 503


def test_pages_are_served_when_the_cache_is_unreachable(client, article):
    """Redis down: every page is rendered, none is kept, nobody sees an error."""
    broken = mock.Mock()
    for method in ("get", "get_many", "set", "set_many", "incr", "add"):
        getattr(broken, method).side_effect = ConnectionError("cache unreachable")
    with (
        mock.patch("minbar.core.page_cache.cache", broken),
        mock.patch("minbar.core.page_cache._is_cache_shared", return_value=True),
    ):
        for _attempt in range(2):
            response = client.get(article.url)
            assert response.status_code == 200
            assert "مقال للتخزين" in response.content.decode()
        # A change made meanwhile is not refused.
        page_cache.invalidate_article(article.pk)


def test_a_cdn_purge_function_is_told_what_changed(client, article, settings, django_capture_on_commit_callbacks):
    settings.MINBAR_CDN_PURGE = "tests.core.test_http_caching.record_purge"
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = ArticlePage.objects.get(pk=article.pk)
        page.title = "مقال للتخزين بعد التصحيح"
        page.save_revision().publish()
    keys = {key for batch, _urls in purged for key in batch}
    urls = {url for _batch, batch_urls in purged for url in batch_urls}
    assert page_cache.page_key(article.pk) in keys
    assert {f"http://127.0.0.1:8000{prefix}{article.url}" for prefix in ("", "/en", "/ckb")} <= urls


def test_no_purge_is_queued_without_a_cdn(article, settings, django_capture_on_commit_callbacks):
    settings.MINBAR_CDN_PURGE = ""
    with mock.patch("minbar.core.cdn.purge_cdn") as task:
        page_cache.invalidate_article(article.pk)
    task.enqueue.assert_not_called()


@override_settings(MINBAR_PAGE_CACHE_SECONDS=0)
def test_without_the_cache_pages_carry_no_validators(client, article):
    response = client.get(article.url)
    assert "ETag" not in response and response.get("X-Cache") is None


def test_while_one_reader_renders_a_dropped_page_the_others_get_the_last_copy(client, article):
    """A spike on a page that just changed: one render, not one per reader."""
    from django.core.cache import cache
    from django.test import RequestFactory

    client.get(article.url)
    page = ArticlePage.objects.get(pk=article.pk)
    page.title = "عنوان بعد التحديث"
    page.save_revision().publish()
    request = RequestFactory().get(article.url)
    claim = page_cache.RENDER_CLAIM_KEY.format(page_cache.entry_key(request))
    assert cache.add(claim, 1)  # another reader's request is rendering it
    waiting = client.get(article.url)
    assert waiting["X-Cache"] == "stale"
    assert "مقال للتخزين" in waiting.content.decode()
    cache.delete(claim)  # that render finished
    fresh = client.get(article.url)
    assert fresh["X-Cache"] == "miss"
    assert "عنوان بعد التحديث" in fresh.content.decode()
    assert client.get(article.url)["X-Cache"] == "hit"


def test_a_withdrawn_page_is_not_kept_for_errors(client, article):
    client.get(article.url)
    ArticlePage.objects.get(pk=article.pk).unpublish()
    assert client.get(article.url).status_code == 404
    with mock.patch.object(ArticlePage, "serve", return_value=HttpResponse("unavailable", status=503)):
        assert client.get(article.url).status_code == 404


def test_a_page_checked_moments_ago_is_trusted_for_the_recheck_time_only(client, article, settings):
    settings.MINBAR_PAGE_CACHE_RECHECK_SECONDS = 0.5
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "hit"
    page_cache.invalidate_article(article.pk)
    with mock.patch("minbar.core.page_cache.current_generations", side_effect=AssertionError("checked")):
        assert client.get(article.url)["X-Cache"] == "hit"  # within half a second of its last check
    later = time.monotonic() + 0.6
    with mock.patch("minbar.core.page_cache.time.monotonic", return_value=later):
        assert client.get(article.url)["X-Cache"] == "miss"
