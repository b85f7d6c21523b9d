"""Request handling shared by every reader page: language from the URL, page cache."""

from contextlib import nullcontext

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

from minbar.replicas.router import changed_recently, use_primary

from . import page_cache


class LanguageFromPathMiddleware:
    """Activate the interface language named by the URL prefix (/ckb/, /en/), Arabic otherwise.

    Unlike Django's LocaleMiddleware this never looks at cookies or
    Accept-Language, and never redirects: one URL is one page in one
    language, which is what lets a page be cached for everybody.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # A worker thread goes on to serve other URLs: leave no language behind.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class AnonymousPageCacheMiddleware:
    """Serve readers' pages whole from the cache; store what is safe to share.

    A page is shared only when the request carries no session (editors are
    never served from or into the cache) and the response sets no cookie and
    does not vary on one. While it renders, what it shows is recorded as
    dependency keys; a change to any of them drops it, and nothing else
    (page_cache.py). A browser that already has the page gets a 304; a CDN
    may keep it `s-maxage` and serve it stale while it asks again.

    When the page cannot be rendered because the database is unreachable
    (an inner 503), the last stored copy is sent instead, marked stale.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.is_cacheable_request(request) or _must_read_primary(request):
            return self.get_response(request)
        entry, fresh = page_cache.load(request)
        if fresh:
            return page_cache.respond(request, entry, "hit")
        if entry is not None and not page_cache.claim_render(request):
            # Another request is rendering it again: send the copy of a moment ago.
            return _stale(request, entry)
        try:
            return self._render(request, entry)
        finally:
            if entry is not None:
                page_cache.release_render(request)

    def _render(self, request, entry):
        started_at = page_cache.clock_or_none()
        # A copy that is no longer current, or any change moments ago: render
        # from the primary database, which a replica may not have caught up
        # with yet, so that no page older than the change is kept (minbar.replicas).
        reads = use_primary() if entry is not None or changed_recently() else nullcontext()
        with page_cache.recording() as keys, reads:
            response = self.get_response(request)
        if response.status_code == 503 and entry is not None:
            return _stale(request, entry)
        if response.status_code in (404, 410) and entry is not None:
            # Withdrawn: its last copy must not come back as a stale answer.
            page_cache.forget(request)
        if started_at is None or not page_cache.is_shareable_response(response):
            return response
        patch_cache_control(
            response,
            public=True,
            max_age=settings.MINBAR_BROWSER_CACHE_SECONDS,
            s_maxage=settings.MINBAR_PAGE_CACHE_SECONDS,
            stale_while_revalidate=settings.MINBAR_PAGE_CACHE_SECONDS,
            stale_if_error=settings.MINBAR_PAGE_STALE_IF_ERROR_SECONDS,
        )
        stored = page_cache.store(request, response, keys, started_at)
        return page_cache.respond(request, stored, "miss")


def _stale(request, entry):
    """The last stored copy of a page, marked so that nobody downstream keeps it as fresh."""
    response = page_cache.respond(request, entry, "stale")
    if response.status_code == 200:
        patch_cache_control(response, max_age=0, s_maxage=0)
    return response


def _must_read_primary(request):
    """A reader who has just written reads from the primary database (minbar.replicas): not from the cache."""
    name = getattr(settings, "MINBAR_REPLICA_PIN_COOKIE", "")
    return bool(name) and name in request.COOKIES


class DatabaseBusyMiddleware:
    """Answer "busy, try again" instead of a server error when SQLite stays locked.

    On the embedded SQLite default a writer waits for the one write lock up
    to the busy timeout; under a burst (hundreds of readers commenting and
    voting at once on a small machine) a few can wait longer and get
    "database is locked". Nothing of theirs was stored, so the honest answer
    is 503 with Retry-After and a translated message: the reader's form is
    still on their screen (scripts show the message; without a script the
    browser's Back button keeps what was typed).

    A database that cannot be reached at all (PostgreSQL stopped or
    restarting) gets the same honest answer, from a page that needs no
    database (core/outage.py). It is given here, inside the page cache, so
    that the page cache sees a 503 and may answer with a page it holds.
    """

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError

        from . import outage

        if outage.is_database_unavailable(exception):
            return outage.unavailable_response(request, exception)
        if not isinstance(exception, OperationalError) or "locked" not in str(exception).lower():
            return None
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.utils.http import url_has_allowed_host_and_scheme
        from django.utils.translation import gettext as _

        message = _("The site is very busy right now and could not save this. Nothing was saved: please send it again in a few seconds.")
        if "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"ok": False, "message": message}, status=503)
        else:
            back = request.headers.get("Referer", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = ""
            response = render(request, "busy.html", {"message": message, "back": back}, status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_store=True)
        return response
