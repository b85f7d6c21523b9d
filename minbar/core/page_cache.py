"""Whole-page cache for anonymous readers, invalidated by what each page shows.

While a cacheable page renders, everything it shows is written down as a
*dependency key*:

  page:<id>             a Wagtail page (article, section, home, simple page)
                        loaded while rendering: its title, summary, cover…
  author:<id>, series:<id>, tag:<id>, image:<id>
                        the same for authors, series, tags and images
  listing, listing:<kind>:<id>
                        which articles a list holds: the site's latest
                        articles (home, feeds, sitemaps), a section's, an
                        author's, a tag's, a series' parts, the sections in
                        the navigation
  discussion:<id>       an article's comments, votes and rating
  readalso:<id>         which articles an article's "read also" list holds
  search                what the search index answers
  site                  everything (the site's settings, a bulk import)

Instances are written down automatically when they are loaded (a post_init
receiver, core/signals.py), so a template cannot show an article without
its page depending on it; lists add their membership keys explicitly.

Each key has a *generation*. A stored page keeps the generations its keys
had when it was rendered; when a change bumps a key (core/signals.py,
invalidate_article, the related and search apps), every page showing that
thing no longer matches and is rendered again, and every other page stays.
A hit costs two cache reads: the stored page, then its keys' generations.

Generations must be seen by every process (the web server's workers and the
background worker). With a shared cache (Redis) they live there, as numbers
taken from one counter that starts at the clock's microseconds, so that a
flushed or restarted Redis never repeats an older number. With the embedded
in-process cache each process has its own memory, so a generation is the
modification time of a small file in the data folder.

A stored page is also kept compressed (gzip, and brotli when available) so
that a hit is sent as it is, with an ETag and Last-Modified for 304 answers,
and it is kept for a while after it stops being fresh: when the database is
unreachable, readers get that last copy rather than an error (stale-if-error).
"""

import contextvars
import gzip
import hashlib
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe, quote_etag

try:
    import brotli
except ImportError:  # whitenoise[brotli] installs it; without it pages go gzip only
    brotli = None

logger = logging.getLogger("minbar.page_cache")

SITE = "site"
LISTING = "listing"
SEARCH = "search"
SECTIONS_LISTING = "listing:sections"
PAGES_LISTING = "listing:pages"

ENTRY_KEY = "minbar:page:{}"
GENERATION_KEY = "minbar:dep:{}"
CLOCK_KEY = "minbar:dep-clock"
MEMBERSHIP_KEY = "minbar:memberships:{}"
RENDER_CLAIM_KEY = "minbar:rendering:{}"
# Longer than any render; a claim left by a process that died expires after it.
RENDER_CLAIM_SECONDS = 15
ENTRY_FORMAT = 2
# Bodies smaller than this are sent as they are: compression would not pay.
MIN_COMPRESS_BYTES = 200
_SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/", "/healthz")
# Headers that describe one response, not the page: never stored.
_UNSTORED_HEADERS = {"x-cache", "set-cookie", "content-encoding", "content-length", "etag", "last-modified", "vary"}

_recording = contextvars.ContextVar("minbar_page_dependencies", default=None)


# Keys ---------------------------------------------------------------------


def page_key(page_id):
    return f"page:{page_id}"


def listing_key(kind, pk):
    return f"listing:{kind}:{pk}"


def discussion_key(article_id):
    return f"discussion:{article_id}"


def read_also_key(article_id):
    return f"readalso:{article_id}"


# Recording what a page shows ----------------------------------------------


@contextmanager
def recording():
    """Collect the dependency keys of whatever is rendered inside (a set, yielded)."""
    keys = set()
    token = _recording.set(keys)
    try:
        yield keys
    finally:
        _recording.reset(token)


def depends_on(*keys):
    """Say that the page being rendered shows these things (no-op outside a cacheable render)."""
    recorded = _recording.get()
    if recorded is not None:
        recorded.update(keys)


def is_recording():
    return _recording.get() is not None


def lists_every_page(view):
    """For views that list the whole site (sitemaps): any page published, moved or withdrawn changes them."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        depends_on(LISTING, SECTIONS_LISTING, PAGES_LISTING)
        return view(request, *args, **kwargs)

    return wrapped


# Generations ----------------------------------------------------------------


def _is_cache_shared():
    return "LocMemCache" not in settings.CACHES["default"]["BACKEND"]


def _stamp_folder():
    return Path(f"{os.fspath(settings.MINBAR_PAGE_GENERATION_FILE)}.d")


def _stamp_path(key):
    # Plain strings: this runs for every key of every hit.
    if key == SITE:
        return os.fspath(settings.MINBAR_PAGE_GENERATION_FILE)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{os.fspath(settings.MINBAR_PAGE_GENERATION_FILE)}.d{os.sep}{digest}"


def _mtime_ns(path):
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0


def _touch(path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    # Two changes within the clock's resolution must still differ.
    now = max(time.time_ns(), os.stat(path).st_mtime_ns + 1)
    os.utime(path, ns=(now, now))


def clock():
    """The latest generation handed out: a render that starts now sees every change up to it."""
    if not _is_cache_shared():
        return time.time_ns()
    value = cache.get(CLOCK_KEY)
    return value if value is not None else _tick()


def _tick():
    try:
        return cache.incr(CLOCK_KEY)
    except ValueError:
        # First use, or Redis lost its data: start again above every number
        # handed out before. Microseconds, not nanoseconds: django-redis
        # increments through a Lua script, whose numbers are doubles (exact
        # up to 2**53, about 285 years of microseconds).
        cache.add(CLOCK_KEY, time.time_ns() // 1000, timeout=None)
        return cache.incr(CLOCK_KEY)


def current_generations(keys, created=None):
    """{key: generation} for `keys`.

    A key never bumped, or lost by Redis, gets a new generation now (never
    an old one again, so no page stored before the loss matches it); those
    keys are added to the set `created` when one is given.
    """
    keys = list(keys)
    if not _is_cache_shared():
        return {key: _mtime_ns(_stamp_path(key)) for key in keys}
    names = {GENERATION_KEY.format(key): key for key in keys}
    found = cache.get_many(list(names))
    generations = {names[name]: value for name, value in found.items()}
    missing = [key for key in keys if key not in generations]
    if missing:
        value = _tick()
        for key in missing:
            name = GENERATION_KEY.format(key)
            if cache.add(name, value, timeout=None) and created is not None:
                created.add(key)
            generations[key] = cache.get(name, value)
    return generations


def _bump_now(keys):
    if not keys:
        return
    from minbar.replicas.router import note_change

    # Pages rendered from a replica in the next seconds may predate the change.
    note_change()
    if _is_cache_shared():
        value = _tick()
        cache.set_many({GENERATION_KEY.format(key): value for key in keys}, timeout=None)
    else:
        for key in keys:
            _touch(_stamp_path(key))


def bump(*keys):
    """The things named by `keys` changed: every cached page showing one of them is rendered again.

    Bumped at once and again when the surrounding transaction commits: a
    page rendered in between, from the data as it was before the commit,
    must not be kept. A CDN in front is told too (core/cdn.py).
    """
    keys = sorted(set(keys))
    if not keys:
        return
    try:
        _bump_now(keys)
    except Exception:
        # The cache being down must not stop an editor's publish or a reader's
        # comment; pages kept in it are unreachable as long as it is down.
        logger.warning("page cache unreachable; could not drop pages of %s", keys[:5], exc_info=True)
    from . import cdn

    if connection.in_atomic_block:
        transaction.on_commit(lambda: (_safe_bump(keys), cdn.purge_later(keys)))
    else:
        cdn.purge_later(keys)


def _safe_bump(keys):
    try:
        _bump_now(keys)
    except Exception:
        logger.warning("page cache unreachable; could not drop pages of %s", keys[:5], exc_info=True)


def bump_generation():
    """Drop every cached page (a bulk import, a rebuilt index, the site's settings)."""
    bump(SITE)


def invalidate_article(article_id):
    """An article's discussion changed (an approved comment, a vote, a rating): drop its pages.

    Its page in every language and every query string (?order=…) depends on
    the discussion key; no other page does.
    """
    bump(discussion_key(article_id))


# Memberships: which lists an article is in -----------------------------------


def remember_memberships(page_id, keys):
    """Remember which lists `page_id` belongs to, so that an edit that keeps them touches no list."""
    try:
        cache.set(MEMBERSHIP_KEY.format(page_id), sorted(keys), timeout=None)
    except Exception:
        logger.warning("page cache unreachable; memberships of page %s not kept", page_id, exc_info=True)


def previous_memberships(page_id):
    """The lists `page_id` was in when last published, or None when not known (all are bumped then)."""
    try:
        found = cache.get(MEMBERSHIP_KEY.format(page_id))
    except Exception:
        return None
    return None if found is None else set(found)


# Requests and responses --------------------------------------------------------


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
    if response.has_header("Content-Encoding"):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def entry_key(request):
    # HEAD is answered from GET's page (without its body).
    url = request.build_absolute_uri()
    return ENTRY_KEY.format(hashlib.sha256(url.encode()).hexdigest())


def _encodings(request):
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    names = {part.split(";")[0].strip().lower() for part in accepted.split(",")}
    return names


# The latest entries this process read or stored, by entry key. Whether an
# entry is current depends only on its keys' generations and its age, both
# checked on every hit, so a hit on one of these costs one small read (the
# generations) instead of two, the second carrying the whole page.
_recent_entries = {}
RECENT_ENTRIES = 256


def _remember_locally(key, entry):
    if len(_recent_entries) >= RECENT_ENTRIES:
        try:
            del _recent_entries[next(iter(_recent_entries))]
        except (KeyError, StopIteration, RuntimeError):  # another thread got there first
            pass
    _recent_entries[key] = (entry, time.monotonic())


def forget_local_entries():
    """Drop this process's copies (tests, which reuse addresses across databases)."""
    _recent_entries.clear()


def _is_fresh(entry):
    if time.time() - entry["stored_at"] > settings.MINBAR_PAGE_CACHE_SECONDS:
        return False
    return current_generations(entry["generations"]) == entry["generations"]


def load(request):
    """(entry, is_fresh) for the request's URL, or (None, False). Never raises."""
    key = entry_key(request)
    try:
        local, checked_at = _recent_entries.get(key, (None, 0.0))
        if local is not None:
            # Under a spike a page is asked for thousands of times a second:
            # an entry checked moments ago is trusted for a fraction of a
            # second (MINBAR_PAGE_CACHE_RECHECK_SECONDS), so a change reaches
            # readers that much later, and the cache costs almost nothing.
            recheck = settings.MINBAR_PAGE_CACHE_RECHECK_SECONDS
            if time.monotonic() - checked_at < recheck and time.time() - local["stored_at"] <= settings.MINBAR_PAGE_CACHE_SECONDS:
                return local, True
            if _is_fresh(local):
                _remember_locally(key, local)
                return local, True
        entry = cache.get(key)
        if not isinstance(entry, dict) or entry.get("format") != ENTRY_FORMAT:
            return None, False
        fresh = _is_fresh(entry)
        if fresh:
            _remember_locally(key, entry)
        return entry, fresh
    except Exception:
        logger.warning("page cache unreachable; serving without it", exc_info=True)
        return None, False


def claim_render(request):
    """Whether this request should render the page again (True for exactly one at a time per URL).

    Under a spike, a dropped page is asked for by many readers at once; one
    renders it while the others get the copy they would have had a moment
    ago (stale-while-revalidate, on the server). The claim expires on its own
    should the renderer die.
    """
    try:
        return bool(cache.add(RENDER_CLAIM_KEY.format(entry_key(request)), 1, timeout=RENDER_CLAIM_SECONDS))
    except Exception:
        return True


def forget(request):
    """Drop the stored copy of the request's URL (the page is gone)."""
    _recent_entries.pop(entry_key(request), None)
    try:
        cache.delete(entry_key(request))
    except Exception:
        logger.warning("page cache unreachable; copy left to expire", exc_info=True)


def release_render(request):
    try:
        cache.delete(RENDER_CLAIM_KEY.format(entry_key(request)))
    except Exception:
        logger.warning("page cache unreachable; render claim left to expire", exc_info=True)


def _compressed(body):
    variants = {}
    if len(body) < MIN_COMPRESS_BYTES:
        return variants
    variants["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
    if brotli is not None:
        variants["br"] = brotli.compress(body, quality=5)
    return variants


def store(request, response, keys, started_at):
    """Keep `response` under the request's URL with its keys' generations; return the entry (or None).

    Not kept when one of its keys changed while it rendered (its data may be
    from before the change). The entry outlives its freshness by
    MINBAR_PAGE_STALE_IF_ERROR_SECONDS, for stale-if-error.
    """
    keys = set(keys) | {SITE}
    body = response.content
    encoded = _compressed(body)
    entry = {
        "format": ENTRY_FORMAT,
        "stored_at": time.time(),
        # Weak: the same page is sent in several encodings.
        "etag": "W/" + quote_etag(hashlib.blake2b(body, digest_size=12).hexdigest()),
        "headers": [(name, value) for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS],
        # Only the compressed copies are kept when there are some (a fraction
        # of the size); the rare client that takes no gzip gets it unpacked.
        "body": None if "gzip" in encoded else body,
        "encoded": encoded,
        "generations": {},
    }
    try:
        created = set()
        generations = current_generations(keys, created)
        if any(value > started_at for key, value in generations.items() if key not in created):
            return entry
        entry["generations"] = generations
        _remember_locally(entry_key(request), entry)
        cache.set(
            entry_key(request),
            entry,
            settings.MINBAR_PAGE_CACHE_SECONDS + settings.MINBAR_PAGE_STALE_IF_ERROR_SECONDS,
        )
    except Exception:
        logger.warning("page cache unreachable; page not kept", exc_info=True)
    return entry


def _not_modified(request, entry):
    etags = request.META.get("HTTP_IF_NONE_MATCH")
    if etags is not None:
        # Weak comparison, as RFC 9110 asks for If-None-Match.
        offered = {tag.strip().removeprefix("W/") for tag in etags.split(",")}
        return "*" in offered or entry["etag"].removeprefix("W/") in offered
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(entry["stored_at"]) <= since


def respond(request, entry, state):
    """The response for `entry`: 304 when the browser's copy is current, else the best encoding it accepts."""
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        encodings = _encodings(request)
        encoding = next((name for name in ("br", "gzip") if name in encodings and name in entry["encoded"]), None)
        if encoding:
            body = entry["encoded"][encoding]
        else:
            body = entry["body"] if entry["body"] is not None else gzip.decompress(entry["encoded"]["gzip"])
        response = HttpResponse(body)
        for name, value in entry["headers"]:
            response[name] = value
        if encoding:
            response["Content-Encoding"] = encoding
        if request.method == "HEAD":
            response.content = b""
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["stored_at"])
    response["Vary"] = "Accept-Encoding"
    response["X-Cache"] = state
    for name, value in entry["headers"]:
        if name.lower() in ("cache-control", "content-language") and response.status_code == 304:
            response[name] = value
    surrogate_header = settings.MINBAR_SURROGATE_KEY_HEADER
    if surrogate_header and entry["generations"]:
        # Fastly's Surrogate-Key is space-separated, Cloudflare's Cache-Tag comma-separated.
        separator = "," if surrogate_header.lower() == "cache-tag" else " "
        response[surrogate_header] = separator.join(sorted(entry["generations"]))
    return response


# URLs of pages, for CDNs that purge by URL ----------------------------------------


def page_paths(page_id):
    """The URL paths of a page in every interface language (as request.path_info has them)."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
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


# Kept for callers written before dependency keys: an article's pages.
article_paths = page_paths


def clock_or_none():
    """clock(), or None when the cache cannot be reached (the page is then neither read nor kept)."""
    try:
        return clock()
    except Exception:
        logger.warning("page cache unreachable; serving without it", exc_info=True)
        return None
