"""Logs an operator can read and a machine can parse: one access line per request, JSON or plain.

MINBAR_LOG_FORMAT=json writes one JSON object per line (the production
default: journald, Loki or any log shipper takes the fields as they are);
`plain` writes readable lines. MINBAR_LOG_LEVEL sets the level (INFO by
default; WARNING drops the access lines).

The access line holds what an operator needs and nothing a reader typed:
method, path (never the query string), status, duration, whether the page
cache answered (X-Cache), and a request id. A path is whatever a client sent,
so control characters, line and paragraph separators and bidi controls in it
are escaped: a path cannot end a log line and forge the next one, nor
reorder what a terminal shows.
"""

import logging
import os
import re
import time

ACCESS_LOGGER = "minbar.access"
# What a proxy's request id may look like (nginx's $request_id, a UUID, …);
# anything else is replaced by one of ours.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# Load balancers ask for the health endpoint every few seconds: an answer
# that says "all well" is logged at DEBUG only.
QUIET_PATHS = ("/healthz",)
_UNSAFE_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_character(match):
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text):
    """`text` with every character that could break or disguise a log line written as an escape."""
    return _UNSAFE_CHARACTERS.sub(_escape_character, text)


def request_id(offered):
    """The proxy's X-Request-ID when it is a plain token, else a new random one."""
    if offered and REQUEST_ID_PATTERN.fullmatch(offered):
        return offered
    return os.urandom(12).hex()


class AccessLogMiddleware:
    """Write one line per request to the `minbar.access` logger; answer with the request's id.

    Outside the page cache, so a page served from it is logged with its
    "hit". The duration is the time until the response was handed to the
    server (a streamed file's body is sent after it).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.logger = logging.getLogger(ACCESS_LOGGER)

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id(request.META.get("HTTP_X_REQUEST_ID"))
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        status = response.status_code
        path = request.path
        level = logging.DEBUG if status == 200 and path in QUIET_PATHS else logging.INFO
        if self.logger.isEnabledFor(level):
            fields = {
                "method": escape(request.method),
                "path": escape(path),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "cache": response.get("X-Cache", "-"),
                "request_id": request.request_id,
            }
            self.logger.log(level, "%(method)s %(path)s %(status)s %(duration_ms)sms cache=%(cache)s id=%(request_id)s", fields, extra=fields)
        return response


class PlainFormatter(logging.Formatter):
    """Readable lines; a message's control characters are escaped, so one record is one line (tracebacks aside)."""

    def formatMessage(self, record):
        return escape(super().formatMessage(record))


def json_formatter():
    """JSON lines: time (UTC, ISO 8601), level, logger, message and the record's own fields."""
    from pythonjsonlogger.core import RESERVED_ATTRS
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        json_ensure_ascii=False,
        # Django puts the request object on its records; its text carries the
        # query string, which may hold what a reader typed.
        reserved_attrs=[*RESERVED_ATTRS, "request"],
    )


def logging_config(log_format, level):
    """The LOGGING setting for MINBAR_LOG_FORMAT (`json` or `plain`) and MINBAR_LOG_LEVEL."""
    log_format = (log_format or "plain").strip().lower()
    if log_format not in ("json", "plain"):
        raise ValueError(f"MINBAR_LOG_FORMAT must be json or plain, not {log_format!r}")
    level = (level or "INFO").strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError(f"MINBAR_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {level!r}")
    formatters = {
        "plain": {"()": PlainFormatter, "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": json_formatter},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {log_format: formatters[log_format]},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # SQL statements are logged at DEBUG: never, even at MINBAR_LOG_LEVEL=DEBUG.
            "django.db.backends": {"level": "WARNING"},
            # Django's own line for a 4xx/5xx repeats the access line.
            "django.request": {"level": "ERROR"},
        },
    }
