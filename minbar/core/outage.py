"""Answer honestly while the database cannot be reached: 503, Retry-After, nothing pretended saved.

When PostgreSQL is stopped, restarting or unreachable, every request that
needs it fails with a connection error. Readers must not get a server error
page, and a reader who sent a comment must learn that it was NOT saved (it
was not: the write never reached the database), so they can send it again.
Pages already in the page cache keep being served by the page cache, which
sits in front of everything that touches the database.

Two places turn such an error into the answer:

- DatabaseBusyMiddleware (core/middleware.py) catches it when a view raises
  it, inside the page cache, so that the page cache sees a 503;
- DatabaseOutageMiddleware, near the top of MIDDLEWARE, catches what fails
  outside a view (another middleware, a template rendered late): Django has
  by then turned the exception into a 500, which this replaces.

The answer is rendered from a template that extends nothing and is given no
request context: the site's usual chrome (header, navigation, settings)
reads the database.
"""

import logging
import sys
import threading
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger("minbar.outage")

# A restart takes seconds; a reader who tries again sooner only adds load.
RETRY_AFTER_SECONDS = 30
# PostgreSQL error classes that mean "the server is not there to answer":
# 08 connection exception, 53 insufficient resources (too many connections),
# 57 operator intervention (shutting down, starting up, statement cancelled).
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")
# Views that take a reader's comment: the answer says the comment was not saved.
_COMMENT_VIEWS = {"comments:post", "comments:reply", "comments:edit"}
_REQUEST_MARK = "_minbar_database_unavailable"
# At most one log line per this many seconds: an outage fails every request.
_LOG_INTERVAL_SECONDS = 10
_last_logged = {"at": float("-inf"), "quiet": 0}
_log_lock = threading.Lock()


def is_database_unavailable(exception):
    """Whether `exception` says the database cannot be reached (as opposed to a bug in a query)."""
    if isinstance(exception, InterfaceError):
        # "connection already closed" and its kin: the connection is gone.
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if cause is not None and type(cause).__module__.startswith("psycopg"):
        # psycopg gives no SQLSTATE for errors of the connection itself
        # (refused, reset, closed by the server); the server gives one for
        # the rest, and only its classes above mean it is unavailable.
        return sqlstate is None or sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES
    # SQLite reports syntax and schema errors as OperationalError too: those
    # are bugs and stay 500s. Only a file that cannot be opened is an outage.
    return "unable to open database file" in str(exception).lower()


def _log(exception):
    now = time.monotonic()
    with _log_lock:
        if now - _last_logged["at"] < _LOG_INTERVAL_SECONDS:
            _last_logged["quiet"] += 1
            return
        quiet, _last_logged["quiet"], _last_logged["at"] = _last_logged["quiet"], 0, now
    # psycopg's message names the host and port, never the password; its first line is enough.
    logger.error(
        "database unavailable, answering 503 (%s similar answers not logged since): %s: %s",
        quiet,
        type(exception).__name__,
        str(exception).splitlines()[0][:200] if str(exception) else "",
    )


def _view_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _message(request):
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return _(
            "The site cannot reach its database at the moment, so this page cannot be shown. "
            "Please try again in a minute."
        )
    if _view_name(request) in _COMMENT_VIEWS:
        return _(
            "Your comment was NOT saved: the site cannot reach its database at the moment. "
            "Keep your text and send it again in a minute."
        )
    return _(
        "What you sent was NOT saved: the site cannot reach its database at the moment. "
        "Please send it again in a minute."
    )


def _language(request):
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _html(request, message):
    back = request.headers.get("Referer", "") if request.method == "POST" else ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {
        "message": message,
        "back": back,
        "was_sent": request.method == "POST",
        "language": translation.get_language(),
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "home": "/" if translation.get_language() == settings.LANGUAGE_CODE else f"/{translation.get_language()}/",
    }
    try:
        return render_to_string("unavailable.html", context)
    except Exception:  # noqa: BLE001 - the answer to an outage must not itself fail
        logger.exception("the 'unavailable' page could not be rendered; answering in plain text")
        return None


def unavailable_response(request, exception=None):
    """The 503 for a request the database could not serve, in the language of its URL."""
    if exception is not None:
        _log(exception)
    with translation.override(_language(request)):
        message = _message(request)
        if "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"ok": False, "saved": False, "message": message}, status=503)
        else:
            body = _html(request, message)
            if body is None:
                response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
            else:
                response = HttpResponse(body, status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    # Logged above, once in a while; Django would log every 503 of the outage.
    response._has_been_logged = True
    return response


def _note_unavailable(sender, request=None, **kwargs):
    """Mark a request whose uncaught exception was the database being unreachable."""
    exception = sys.exc_info()[1]
    if request is not None and exception is not None and is_database_unavailable(exception):
        setattr(request, _REQUEST_MARK, exception)


got_request_exception.connect(_note_unavailable, dispatch_uid="minbar.core.outage")


class DatabaseOutageMiddleware:
    """Replace the 500 of a request that failed because the database is unreachable by a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exception = getattr(request, _REQUEST_MARK, None)
        if response.status_code == 500 and exception is not None:
            return unavailable_response(request, exception)
        return response
