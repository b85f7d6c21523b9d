"""Anonymous readers share cached pages; nothing per-reader leaks into them."""

import os
import subprocess
import sys

import pytest
from django.test import override_settings

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_cache(client):
    article = make_article(make_section())
    first = client.get(article.url)
    second = client.get(article.url)
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_reader_pages_set_no_cookie(client):
    article = make_article(make_section())
    for url in ["/", article.url, "/en/", "/ckb/", "/feed/rss/", "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, f"{url} set {list(response.cookies)}"
        assert "Cookie" not in response.get("Vary", ""), url


def test_cached_page_tells_browsers_and_cdns_how_long_to_keep_it(client):
    article = make_article(make_section())
    cache_control = client.get(article.url)["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=" in cache_control
    assert "stale-while-revalidate=" in cache_control


def test_publishing_an_edit_replaces_the_cached_page(client):
    article = make_article(make_section(), title="العنوان الأول")
    assert "العنوان الأول" in client.get(article.url).content.decode()
    article.title = "العنوان المصحح"
    article.save_revision().publish()
    page = client.get(article.url)
    assert page["X-Cache"] == "miss"
    assert "العنوان المصحح" in page.content.decode()


def test_unpublished_article_disappears_from_cached_home_page(client):
    article = make_article(make_section(), title="خبر سيسحب")
    assert "خبر سيسحب" in client.get("/").content.decode()
    article.unpublish()
    assert "خبر سيسحب" not in client.get("/").content.decode()


def test_editors_with_a_session_bypass_the_cache(client, django_user_model):
    article = make_article(make_section())
    client.get(article.url)
    editor = django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(editor)
    assert client.get(article.url).get("X-Cache") is None


def test_each_interface_language_is_cached_separately(client):
    article = make_article(make_section())
    arabic = client.get(article.url)
    english = client.get("/en" + article.url)
    assert arabic["Content-Language"] == "ar"
    assert english["Content-Language"] == "en"
    assert english["X-Cache"] == "miss"


@override_settings(MINBAR_PAGE_CACHE_SECONDS=0)
def test_cache_can_be_switched_off(client):
    article = make_article(make_section())
    client.get(article.url)
    assert client.get(article.url).get("X-Cache") is None


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client):
    import gzip

    import brotli

    article = make_article(make_section(), title="عنوان يقرأ مضغوطا")
    for attempt in ("miss", "hit"):
        response = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["X-Cache"] == attempt
        assert response["Content-Encoding"] == "br"
        assert "عنوان يقرأ مضغوطا" in brotli.decompress(response.content).decode()
    older_browser = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip")
    assert older_browser["Content-Encoding"] == "gzip"
    assert "عنوان يقرأ مضغوطا" in gzip.decompress(older_browser.content).decode()
    plain = client.get(article.url)
    assert plain["X-Cache"] == "hit" and not plain.has_header("Content-Encoding")
    assert "عنوان يقرأ مضغوطا" in plain.content.decode()
    assert all(response["Vary"] == "Accept-Encoding" for response in (older_browser, plain))


def test_a_change_made_by_another_process_reaches_this_ones_cache(client, settings):
    """The worker publishes scheduled articles in its own process, with its own memory."""
    article = make_article(make_section())
    client.get(article.url)
    assert client.get(article.url)["X-Cache"] == "hit"
    stamp = settings.MINBAR_PAGE_GENERATION_FILE
    other_process = (
        "import django; django.setup();"
        "from django.conf import settings; from pathlib import Path;"
        f"settings.MINBAR_PAGE_GENERATION_FILE = Path({str(stamp)!r});"
        "from minbar.core import page_cache; page_cache.bump_generation()"
    )
    subprocess.run(
        [sys.executable, "-c", other_process],
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "minbar.settings.test", "MINBAR_DATA_DIR": str(stamp.parent)},
    )
    assert client.get(article.url)["X-Cache"] == "miss"


def _cached_twice(client, url):
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit", url


def test_invalidating_an_article_drops_its_pages_in_every_language_and_query(client):
    from minbar.core import page_cache

    article = make_article(make_section(), title="مقال تقييمه تغير")
    other = make_article(make_section(), title="مقال آخر لم يتغير")
    urls = [article.url, "/en" + article.url, "/ckb" + article.url, article.url + "?order=newest"]
    untouched = [other.url, "/en" + other.url, "/"]
    for url in urls + untouched:
        _cached_twice(client, url)
    page_cache.invalidate_article(article.pk)
    for url in urls:
        assert client.get(url)["X-Cache"] == "miss", url
    for url in untouched:
        assert client.get(url)["X-Cache"] == "hit", url


def test_article_with_an_arabic_slug_is_invalidated_too(client):
    from minbar.core import page_cache

    article = make_article(make_section(), slug="السوق-القديم")
    assert "%D8" in article.url
    _cached_twice(client, article.url)
    page_cache.invalidate_article(article.pk)
    assert client.get(article.url)["X-Cache"] == "miss"


def test_invalidating_an_article_also_reaches_other_processes(client, settings):
    """The worker and each server process see it: through the data folder, or the shared cache."""
    article = make_article(make_section())
    _cached_twice(client, article.url)
    stamp = settings.MINBAR_PAGE_GENERATION_FILE
    other_process = (
        "import django; django.setup();"
        "from django.conf import settings; from pathlib import Path;"
        f"settings.MINBAR_PAGE_GENERATION_FILE = Path({str(stamp)!r});"
        f"from minbar.core import page_cache; page_cache.invalidate_article({article.pk})"
    )
    subprocess.run(
        [sys.executable, "-c", other_process],
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "minbar.settings.test", "MINBAR_DATA_DIR": str(stamp.parent)},
    )
    assert client.get(article.url)["X-Cache"] == "miss"


def test_page_rendered_while_a_change_commits_is_not_kept(client, django_capture_on_commit_callbacks):
    """A page read from the database before the change committed is stored under the old generation."""
    from minbar.core import page_cache

    article = make_article(make_section())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page_cache.invalidate_article(article.pk)
    _cached_twice(client, article.url)  # rendered before the transaction "commits"
    for callback in callbacks:
        callback()
    assert client.get(article.url)["X-Cache"] == "miss"
