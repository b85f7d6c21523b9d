"""/healthz tells a load balancer whether this server can serve, and nothing else."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db


def health(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_database_and_cache_answer(client):
    response, body = health(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Retry-After" not in response


def test_cache_down_is_degraded_but_serving(client):
    # django-redis, set to ignore its errors, answers a lookup with a miss.
    with mock.patch("minbar.core.views.cache.get", return_value=None):
        response, body = health(client)
    assert response.status_code == 200
    assert body == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_cache_raising_is_degraded_but_serving(client):
    with mock.patch("minbar.core.views.cache.set", side_effect=ConnectionError("Connection refused")):
        response, body = health(client)
    assert response.status_code == 200
    assert body["status"] == "degraded" and body["cache"] == "unavailable"


def test_database_down_is_503_with_retry_after(client):
    refused = OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response, body = health(client)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert body == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    # Nothing of the error (host, port, user) is told to whoever asks.
    assert b"10.0.0.5" not in response.content and b"5432" not in response.content
    assert "no-store" in response["Cache-Control"]


def test_never_served_from_the_page_cache(client):
    client.get("/healthz")
    with mock.patch("minbar.core.views.cache.get", return_value=None):
        response, body = health(client)
    assert body["cache"] == "unavailable", "a stored answer was sent instead of a fresh check"
    assert "X-Cache" not in response


def test_head_is_answered_for_load_balancers(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_says_nothing_of_versions_or_settings(client):
    response, body = health(client)
    assert set(body) == {"status", "database", "cache"}
    assert "Server" not in response and "X-Powered-By" not in response


def test_unreachable_redis_is_degraded_within_its_timeouts(client):
    """A real django-redis client, configured as production configures it, pointed at a port nobody listens on."""
    import socket
    import time

    from django.test import override_settings

    from minbar.settings import environment

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with mock.patch.dict("os.environ", {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "CACHE_URL": ""}):
        unreachable = environment.cache()
    with override_settings(CACHES={"default": unreachable}):
        started = time.monotonic()
        response, body = health(client)
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert body == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    assert elapsed < 3 * environment.CACHE_TIMEOUT_SECONDS + 1
