"""`minbar run --production`: refuses what cannot serve a public site, then serves it with granian and the worker.

The full start needs PostgreSQL and Redis (MINBAR_TEST_POSTGRES_URL and
MINBAR_TEST_REDIS_URL, as the PostgreSQL test run uses): it makes a database
of its own there and drops it afterwards. Without them it is skipped with the
reason, or fails when MINBAR_REQUIRE_POSTGRES=1 / MINBAR_REQUIRE_REDIS=1 (CI).
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test import override_settings
from django.utils import translation

from minbar import cli

MINBAR = [sys.executable, "-m", "minbar.cli"]
ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("MINBAR_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/minbar")
REDIS_URL = os.environ.get("MINBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET = "production-mode-test-" + secrets.token_urlsafe(40)
POSTGRESQL_ENGINE = "django.db.backends.postgresql"
REDIS_CACHE = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}


def clean_environment(**extra):
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MINBAR_", "DJANGO_", "DATABASE_", "REDIS_", "CACHE_", "EMAIL_", "GRANIAN_"))
    }
    return {**kept, "PYTHONPATH": str(ROOT), "SECRET_KEY": SECRET, **extra}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# What it refuses ------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_problems_name_what_is_missing():
    with translation.override("en"):
        with override_settings(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3"}}):
            sqlite_and_locmem = cli.production_problems()
        with override_settings(
            DATABASES={"default": {"ENGINE": POSTGRESQL_ENGINE}}, CACHES={"default": REDIS_CACHE}
        ):
            ready = cli.production_problems()
    assert [problem.split(" ", 1)[0] for problem in sqlite_and_locmem] == ["DATABASE_URL", "REDIS_URL"]
    assert ready == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_refuses_to_start_without_postgresql_and_redis(tmp_path):
    result = subprocess.run(
        [*MINBAR, "run", "--production", "--port", str(free_port())],
        env=clean_environment(MINBAR_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    with translation.override("ar"), override_settings(DATABASES={"default": {"ENGINE": "x"}}):
        expected = cli.production_problems()
    for problem in expected:
        assert problem in result.stderr
    assert "--allow-embedded" in result.stderr
    # Refused before anything was written: no SQLite database, no static files.
    assert not (tmp_path / "minbar.sqlite3").exists() and not (tmp_path / "static").exists()


def test_postgresql_alone_is_not_enough(tmp_path):
    # Refused before any connection is tried, so nothing needs to listen there.
    result = subprocess.run(
        [*MINBAR, "run", "--production"],
        env=clean_environment(MINBAR_DATA_DIR=str(tmp_path), DATABASE_URL="postgres://minbar@127.0.0.1:9/minbar"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr and "DATABASE_URL" not in result.stderr


# Django's deployment checklist ------------------------------------------------------


def deploy_check(tmp_path, **extra):
    env = clean_environment(
        ALLOWED_HOSTS="news.example.org",
        DATABASE_URL="postgres://minbar:password@127.0.0.1:5432/minbar",
        REDIS_URL="redis://127.0.0.1:6379/0",
        MINBAR_DATA_DIR=str(tmp_path),
        **extra,
    )
    return subprocess.run(
        [*MINBAR, "--settings", "minbar.settings.production", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_sees_what_an_operator_turned_off(tmp_path):
    """The same check, with HSTS switched off: it is really looking."""
    result = deploy_check(tmp_path, MINBAR_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


# What it starts -------------------------------------------------------------------


def commands_for(*arguments):
    return cli.serving_commands(cli.build_parser().parse_args(["run", *arguments]))


def test_production_starts_granian_with_respawning_and_bounded_threads_and_the_worker():
    granian, worker = commands_for("--production", "--workers", "3")
    assert granian[granian.index("--workers") + 1] == "3"
    assert "--respawn-failed-workers" in granian
    assert int(granian[granian.index("--backlog") + 1]) >= 1024
    assert granian[granian.index("--blocking-threads") + 1] == str(cli.PRODUCTION_THREADS)
    assert int(granian[granian.index("--workers-kill-timeout") + 1]) <= 15  # supervise() waits 15 s
    assert worker[-2:] == ["minbar.cli", "worker"]


def test_production_defaults_to_one_worker_per_core_and_no_worker_for_systemd():
    (granian,) = commands_for("--production", "--no-worker", "--threads", "4")
    assert granian[granian.index("--workers") + 1] == str(os.cpu_count())
    assert granian[granian.index("--blocking-threads") + 1] == "4"


def test_without_production_the_command_is_unchanged():
    granian, worker = commands_for("--port", "8123")
    assert granian == [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", "8123",
        "--workers", str(min(os.cpu_count(), 4)), "--no-ws", "minbar.wsgi:application",
    ]
    assert worker[-1] == "worker"


# A real start on PostgreSQL and Redis ------------------------------------------------


def _reachable(url, default_port):
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _require_servers():
    for name, url, port, flag in (
        ("PostgreSQL", POSTGRES_URL, 5432, "MINBAR_REQUIRE_POSTGRES"),
        ("Redis", REDIS_URL, 6379, "MINBAR_REQUIRE_REDIS"),
    ):
        if not _reachable(url, port):
            message = f"{name} not reachable at {url}; set {flag}=1 to make this an error"
            if os.environ.get(flag) == "1":
                pytest.fail(message)
            pytest.skip(message)


def _server_database(name, statement):
    import psycopg

    parts = urlparse(POSTGRES_URL)
    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres", autocommit=True, connect_timeout=5,
    ) as connection:
        connection.execute(statement.format(name=name))


def _children(pid):
    """Command lines of the processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append((int(stat.parent.name), (stat.parent / "cmdline").read_bytes().split(b"\0")))
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    _require_servers()
    database = f"minbar_run_production_{secrets.token_hex(4)}"
    _server_database(database, "CREATE DATABASE {name}")
    redis = urlparse(REDIS_URL)
    port = free_port()
    workdir = tmp_path_factory.mktemp("production")
    log_path = workdir / "run.log"
    parts = urlparse(POSTGRES_URL)
    env = clean_environment(
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=parts._replace(path=f"/{database}").geturl(),
        # Its own Redis database: the test run empties 15 as it goes.
        REDIS_URL=redis._replace(path="/14").geturl(),
        MINBAR_DATA_DIR=str(workdir / "data"),
    )
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [*MINBAR, "run", "--production", "--port", str(port), "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert process.poll() is None, f"minbar run --production exited: {log_path.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"/healthz did not answer within 240 s: {log_path.read_text()[-3000:]}"
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        yield {"base": base, "process": process, "log": log_path}
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        log.close()
        _server_database(database, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_health_answers_over_plain_http_for_the_load_balancer(production_site):
    status, headers, body = get(production_site["base"] + "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_pages_are_https_only_with_hsts_and_the_security_headers(production_site):
    base = production_site["base"]
    status, headers, _ = get(base + "/en/")
    assert status == 301 and headers["Location"].startswith("https://")
    status, headers, body = get(base + "/en/", {"X-Forwarded-Proto": "https"})
    assert status == 200 and b'lang="en"' in body
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Permissions-Policy"]


def test_logs_are_json_lines_with_one_access_line_per_request(production_site):
    get(production_site["base"] + "/en/?q=reader-typed", {"X-Forwarded-Proto": "https", "X-Request-ID": "lb-4242"})
    time.sleep(0.5)
    records = [json.loads(line) for line in production_site["log"].read_text().splitlines() if line.startswith("{")]
    (access,) = [record for record in records if record.get("request_id") == "lb-4242"]
    assert (access["logger"], access["path"], access["status"]) == ("minbar.access", "/en/", 200)
    assert "reader-typed" not in production_site["log"].read_text()
    assert any(record["logger"] == "minbar.worker" for record in records), "the worker did not start"
    # granian's own lines too, once it is running.
    served = production_site["log"].read_text().split("Listening at", 1)
    assert len(served) == 2, "granian's start was not logged"
    after_start = served[1].splitlines()[1:]
    assert after_start and all(line.startswith("{") for line in after_start), after_start[:5]


def test_runs_granian_and_the_worker_and_stops_both_on_sigterm(production_site):
    process = production_site["process"]
    children = _children(process.pid)
    commands = [b" ".join(command) for _, command in children]
    assert any(b"granian" in command and b"--respawn-failed-workers" in command for command in commands), commands
    assert any(command.endswith(b"minbar.cli worker ") or b"minbar.cli worker" in command for command in commands), commands
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    # supervise() waited for them: gone, not left running or as zombies.
    assert [pid for pid, _ in children if Path(f"/proc/{pid}").exists()] == []


def test_allow_embedded_goes_on_to_serve_from_sqlite(monkeypatch):
    """The test settings are SQLite and the in-process cache: refused, unless --allow-embedded."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "minbar.settings.test")
    started = []
    monkeypatch.setattr(cli, "_setup_django", lambda settings_module: None)
    monkeypatch.setattr(cli, "prepare", lambda: started.append("prepare"))
    monkeypatch.setattr(cli, "supervise", lambda commands: started.append(commands) or 0)
    parse = cli.build_parser().parse_args
    with pytest.raises(SystemExit) as refused:
        cli.cmd_run(parse(["run", "--production"]))
    assert refused.value.code == 2 and started == []
    with pytest.raises(SystemExit) as served:
        cli.cmd_run(parse(["run", "--production", "--allow-embedded", "--no-worker"]))
    assert served.value.code == 0
    assert started[0] == "prepare" and "--respawn-failed-workers" in started[1][0]
    # The site's own settings module, when one is named, is what granian's workers get.
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "minbar.settings.test"
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    with pytest.raises(SystemExit):
        cli.cmd_run(cli.build_parser().parse_args(["run", "--production", "--allow-embedded"]))
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "minbar.settings.production"


def test_no_migrate_collects_static_files_but_leaves_the_schema_to_the_deploy_step(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "minbar.settings.test")
    called = []
    monkeypatch.setattr(cli, "_setup_django", lambda settings_module: None)
    monkeypatch.setattr(cli, "prepare", lambda: called.append("prepare (migrate + collectstatic)"))
    monkeypatch.setattr(cli, "_call", lambda command, **options: called.append(command))
    monkeypatch.setattr(cli, "supervise", lambda commands: 0)
    with pytest.raises(SystemExit):
        cli.cmd_run(cli.build_parser().parse_args(["run", "--production", "--allow-embedded", "--no-migrate"]))
    assert called == ["collectstatic"]
    assert settings.MEDIA_ROOT.is_dir()
