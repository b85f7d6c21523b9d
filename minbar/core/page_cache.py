"""Whole-page cache for anonymous readers, invalidated by generation.

Every change to published content bumps one counter; keys include it, so old
pages simply stop being found and expire on their own. Precise per-page
invalidation comes with the production issue; this is correct, and simple.

The counter must be seen by every process: the web server and the worker
that publishes scheduled articles. With a shared cache (Redis) it lives
there. With the embedded in-process cache each process has its own memory,
so the counter is the modification time of a file in the data folder.
"""

import hashlib
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "minbar:page-generation"
_SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/")


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(_SKIPPED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return settings.MINBAR_PAGE_CACHE_SECONDS > 0


def is_shareable_response(response):
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or "Cookie" in response.get("Vary", ""):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _is_cache_shared():
    return "LocMemCache" not in settings.CACHES["default"]["BACKEND"]


def _stamp():
    return settings.MINBAR_PAGE_GENERATION_FILE


def generation():
    if _is_cache_shared():
        return cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    try:
        return os.stat(_stamp()).st_mtime_ns
    except FileNotFoundError:
        return 0


def bump_generation():
    if _is_cache_shared():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, timeout=None)
        return
    stamp = _stamp()
    stamp.touch()
    # Two changes within the clock's resolution must still differ.
    now = max(time.time_ns(), os.stat(stamp).st_mtime_ns + 1)
    os.utime(stamp, ns=(now, now))


def key_for(request):
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"minbar:page:{generation()}:{request.method}:{digest}"


def load(key):
    stored = cache.get(key)
    if stored is None:
        return None
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def store(key, response):
    headers = [(name, value) for name, value in response.items() if name.lower() not in {"x-cache", "set-cookie"}]
    cache.set(key, (response.content, headers), settings.MINBAR_PAGE_CACHE_SECONDS)


def invalidate_article(article_id):
    """Drop the cached pages of one article (its page in every language).

    For now every cached page goes; the discussion issue makes this precise.
    """
    bump_generation()
