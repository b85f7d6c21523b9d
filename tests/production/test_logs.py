"""One access line per request, as JSON or plain text, that a hostile path cannot forge."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from minbar.core import logs
from tests.factories import make_article, make_section


@pytest.fixture
def access_log():
    """What minbar.access writes, formatted as production formats it (JSON) and as plain text."""
    streams = {"json": io.StringIO(), "plain": io.StringIO()}
    handlers = []
    for name, formatter in (("json", logs.json_formatter()), ("plain", logs.PlainFormatter("%(levelname)s %(name)s %(message)s"))):
        handler = logging.StreamHandler(streams[name])
        handler.setFormatter(formatter)
        handlers.append(handler)
    logger = logging.getLogger(logs.ACCESS_LOGGER)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    for handler in handlers:
        logger.addHandler(handler)
    yield streams
    for handler in handlers:
        logger.removeHandler(handler)
    logger.setLevel(level)


def lines(stream):
    return stream.getvalue().splitlines()


@pytest.mark.django_db
def test_one_json_line_per_request_with_the_fields_an_operator_needs(client, access_log):
    article = make_article(make_section())
    client.get(article.url + "?utm_source=secret-campaign", HTTP_X_REQUEST_ID="edge-7f3a9c")
    client.get(article.url)
    client.get(article.url)
    first, _, second = (json.loads(line) for line in lines(access_log["json"]))
    assert first["level"] == "INFO" and first["logger"] == "minbar.access" and first["time"]
    assert first["method"] == "GET"
    assert first["path"] == article.url  # without the query string
    assert first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert (first["cache"], second["cache"]) == ("miss", "hit")
    assert first["request_id"] == "edge-7f3a9c"
    assert len(second["request_id"]) == 24 and second["request_id"] != first["request_id"]
    assert "secret-campaign" not in access_log["json"].getvalue()
    assert "secret-campaign" not in access_log["plain"].getvalue()


@pytest.mark.django_db
def test_plain_line_is_readable(client, access_log):
    response = client.get("/en/no-such-page/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    (line,) = lines(access_log["plain"])
    assert line.startswith("INFO minbar.access GET /en/no-such-page/ 404 ")
    assert line.endswith("ms cache=- id=abc123")


@pytest.mark.django_db
def test_newlines_and_controls_in_the_path_cannot_forge_a_line(client, access_log):
    forged = "/x%0A2026-01-01 12:00:00 INFO minbar.access GET /admin/ 200%0D%1B[2J%E2%80%AE"
    client.get(forged, HTTP_X_REQUEST_ID="bad id\nINFO forged")
    (plain,) = lines(access_log["plain"])
    (json_line,) = lines(access_log["json"])
    assert "\\x0a2026-01-01" in plain and "\\x0d\\x1b[2J\\u202e" in plain
    record = json.loads(json_line)
    assert record["path"].startswith("/x\\x0a2026-01-01 12:00:00 INFO")
    assert "\n" not in record["path"] and "\u202e" not in record["path"]
    # A request id that is not a plain token is replaced, not logged.
    assert "forged" not in plain and record["request_id"] != "bad id\nINFO forged"


def test_health_probes_that_find_all_well_stay_out_of_the_info_log(access_log, rf):
    middleware = logs.AccessLogMiddleware(lambda request: __import__("django.http").http.HttpResponse("ok"))
    logging.getLogger(logs.ACCESS_LOGGER).setLevel(logging.INFO)
    middleware(rf.get("/healthz"))
    middleware(rf.get("/"))
    (line,) = lines(access_log["plain"])
    assert " GET / 200 " in line


def test_json_lines_leave_out_the_request_object_and_its_query_string():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.json_formatter())
    logger = logging.getLogger("tests.production.json")
    logger.addHandler(handler)
    try:
        logger.error("Internal Server Error: %s", "/search/", extra={"request": RequestFactory().get("/search/?q=my+name"), "status_code": 500})
    finally:
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue())
    assert record["message"] == "Internal Server Error: /search/" and record["status_code"] == 500
    assert "my+name" not in stream.getvalue() and "request" not in record


def test_unknown_format_or_level_is_refused_with_the_variable_named():
    with pytest.raises(ValueError, match="MINBAR_LOG_FORMAT"):
        logs.logging_config("xml", "INFO")
    with pytest.raises(ValueError, match="MINBAR_LOG_LEVEL"):
        logs.logging_config("json", "LOUD")


def _served_log(tmp_path, settings_module, **env):
    """Standard error of a process that starts Django with `settings_module` and asks for /robots.txt."""
    code = "import django; django.setup(); from django.test import Client; Client().get('/robots.txt')"
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("MINBAR_", "DJANGO_", "DATABASE_", "REDIS_", "CACHE_"))},
        "DJANGO_SETTINGS_MODULE": settings_module,
        "MINBAR_DATA_DIR": str(tmp_path),
        "MINBAR_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver",
        **env,
    }
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if "robots.txt" in line]


def test_level_and_format_come_from_the_environment(tmp_path):
    (plain,) = _served_log(tmp_path, "minbar.settings.dev")
    assert " INFO minbar.access GET /robots.txt 200 " in plain
    assert _served_log(tmp_path, "minbar.settings.dev", MINBAR_LOG_LEVEL="WARNING") == []
    (as_json,) = _served_log(tmp_path, "minbar.settings.dev", MINBAR_LOG_FORMAT="json")
    assert json.loads(as_json)["path"] == "/robots.txt"


def test_production_writes_json_unless_told_plain(tmp_path):
    (line,) = _served_log(tmp_path, "minbar.settings.production")
    record = json.loads(line)
    assert (record["logger"], record["status"], record["path"]) == ("minbar.access", 200, "/robots.txt")
    (plain,) = _served_log(tmp_path, "minbar.settings.production", MINBAR_LOG_FORMAT="plain")
    assert plain.split(" ", 2)[2].startswith("INFO minbar.access GET /robots.txt 200")
