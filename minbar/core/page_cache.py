"""Whole-page cache for anonymous readers, invalidated by generations.

A cached page's key holds two generations: the site's, which every change to
published content bumps (all pages go), and its URL path's, which
invalidate_article bumps for one article's paths in every language (an
approved comment or a new rating: that article's pages go, in every query
string variant such as ?order=, and nothing else). Old pages are simply no
longer found and expire on their own.

Generations must be seen by every process: the web server's and the worker's.
With a shared cache (Redis) they live there, and one get_many reads both, so
a hit costs the same two round trips as before. With the embedded in-process
cache each process has its own memory, so a generation is the modification
time of a file in the data folder: the site's is MINBAR_PAGE_GENERATION_FILE,
a path's is a file named by the path's hash in the folder beside it.
"""

import hashlib
import os
import time
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import get_script_prefix
from django.utils import translation

GENERATION_KEY = "minbar:page-generation"
PATH_GENERATION_KEY = "minbar:path-generation:{}"
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


def _path_digest(path):
    return hashlib.sha256(path.encode()).hexdigest()[:32]


def _path_stamp(path):
    # Plain strings: this runs on every cache hit, and pathlib costs more than the stat.
    return f"{os.fspath(_stamp())}.d{os.sep}{_path_digest(path)}"


def _path_generation_seconds():
    # A path's generation outlives the pages stored under it. When it expires
    # (or Redis evicts it) the next request starts a new one: its pages are
    # then rendered again, never served stale.
    return max(3600, 2 * settings.MINBAR_PAGE_CACHE_SECONDS)


def _mtime_ns(path):
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0


def _touch(path):
    path.touch()
    # Two changes within the clock's resolution must still differ.
    now = max(time.time_ns(), os.stat(path).st_mtime_ns + 1)
    os.utime(path, ns=(now, now))


def generation():
    """The site's generation: every cached page was stored under it."""
    if _is_cache_shared():
        return cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    return _mtime_ns(_stamp())


def generations(path):
    """The site's and `path`'s generations, read together (one round trip to a shared cache)."""
    if not _is_cache_shared():
        return _mtime_ns(_stamp()), _mtime_ns(_path_stamp(path))
    path_key = PATH_GENERATION_KEY.format(_path_digest(path))
    found = cache.get_many([GENERATION_KEY, path_key])
    site = found.get(GENERATION_KEY)
    if site is None:
        site = generation()
    path_generation = found.get(path_key)
    if path_generation is None:
        # A timestamp, so that a restarted generation never repeats an older one.
        cache.add(path_key, time.time_ns(), timeout=_path_generation_seconds())
        path_generation = cache.get(path_key, 0)
    return site, path_generation


def bump_generation():
    """Drop every cached page (published content changed)."""
    if _is_cache_shared():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, timeout=None)
        return
    _touch(_stamp())


def bump_paths(paths):
    """Drop the cached pages of these URL paths, whatever their query string."""
    if _is_cache_shared():
        now = time.time_ns()
        cache.set_many(
            {PATH_GENERATION_KEY.format(_path_digest(path)): now for path in paths},
            timeout=_path_generation_seconds(),
        )
        return
    for path in paths:
        stamp = Path(_path_stamp(path))
        stamp.parent.mkdir(parents=True, exist_ok=True)
        _touch(stamp)


def key_for(request):
    site, path = generations(request.path_info)
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"minbar:page:{site}:{path}:{request.method}:{digest}"


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


def article_paths(article_id):
    """The URL paths of an article's page in every interface language (as request.path_info has them)."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=article_id).first()
    if page is None:
        return []
    script_prefix = get_script_prefix()
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            parts = page.get_url_parts()
        if parts is None:
            continue
        path = parts[2]
        if path.startswith(script_prefix):
            path = "/" + path[len(script_prefix) :]
        # reverse() percent-encodes an Arabic slug; path_info is decoded.
        paths.append(unquote(path))
    return paths


def invalidate_article(article_id):
    """Drop the cached pages of one article: its page in every language and every query string variant.

    Dropped at once and again when the surrounding transaction commits: a
    page rendered in between, from the data as it was before the commit,
    must not be kept under the new generation.
    """
    paths = article_paths(article_id)
    if not paths:
        return
    bump_paths(paths)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: bump_paths(paths))
