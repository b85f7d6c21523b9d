"""Real servers for the production tests and bench/spike.py, on loopback and free ports only.

A private PostgreSQL cluster (initdb in a temporary folder), a private
redis-server, an SMTP server (aiosmtpd) and the site itself: migrated into
that cluster, served by granian as `minbar run --production` serves it, with the
background worker beside it. Each can be stopped and started again on the
same port, which is what the fault tests do; every wait is bounded.

Nothing here imports Django settings: the test process keeps its own (test)
settings, and talks to the site's database through SiteShell, a Django shell
running in the site's environment.
"""

import contextlib
import glob
import itertools
import json
import os
import pwd
import queue
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .readers import FORWARDED_HEADER, LOOPBACK, Client

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SHELL_MARK = "@@minbar-shell "


class ServerError(RuntimeError):
    """A server could not be found, started or stopped."""


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def port_open(port):
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(predicate, timeout, what, interval=0.05):
    """Poll `predicate` until it is true; ServerError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"{what}: not within {timeout} s")
        time.sleep(interval)


def _run(command, timeout, what, **kwargs):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired as error:
        raise ServerError(f"{what}: no answer within {timeout} s ({' '.join(map(str, command))})") from error
    if result.returncode != 0:
        raise ServerError(f"{what} failed (exit {result.returncode}): {(result.stderr or result.stdout).strip()[-2000:]}")
    return result.stdout


def _stop_process(process, timeout=15):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# PostgreSQL -----------------------------------------------------------------


def postgres_binaries():
    """The folder of the newest installed PostgreSQL server's programs (initdb, pg_ctl, postgres)."""
    found = [
        folder
        for folder in glob.glob("/usr/lib/postgresql/*/bin")
        if os.path.exists(os.path.join(folder, "initdb")) and os.path.exists(os.path.join(folder, "pg_ctl"))
    ]
    if not found:
        raise ServerError(
            "PostgreSQL server programs not found in /usr/lib/postgresql/*/bin (initdb, pg_ctl): "
            "the production tests start a private PostgreSQL cluster; install the Debian package `postgresql`"
        )
    return Path(max(found, key=lambda folder: int(re.search(r"/(\d+)/bin$", folder).group(1))))


class PostgresCluster:
    """A throw-away PostgreSQL cluster on a free loopback port, trusting local connections."""

    def __init__(self):
        self.bin = postgres_binaries()
        self.port = free_port()
        # Not under pytest's tmp_path: that folder is private to root, and
        # the server runs as the postgres user.
        self.root = Path(tempfile.mkdtemp(prefix="minbar-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.running = False
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
        os.chmod(self.root, 0o700)

    def _command(self, program, *arguments):
        command = [str(self.bin / program), *map(str, arguments)]
        # PostgreSQL refuses to run as root.
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def init(self):
        _run(
            self._command("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"),
            timeout=60, what="initdb", cwd=self.root,
        )
        return self

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses={LOOPBACK}"
        _run(self._command("pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "-t", "30", "start"),
             timeout=40, what="pg_ctl start", cwd=self.root)
        self.running = True
        return self

    def stop(self, mode="fast"):
        """Stop the server: `fast` ends open sessions at once (as a restart or a crash does to clients)."""
        _run(self._command("pg_ctl", "-D", self.data, "-w", "-t", "30", "stop", "-m", mode),
             timeout=40, what="pg_ctl stop", cwd=self.root)
        self.running = False

    def create_database(self, name):
        _run(self._command("createdb", "-h", LOOPBACK, "-p", self.port, "-U", "postgres", name),
             timeout=30, what=f"createdb {name}", cwd=self.root)

    def url(self, name):
        return f"postgres://postgres@{LOOPBACK}:{self.port}/{name}"

    def close(self):
        if self.running:
            try:
                self.stop("immediate")
            except ServerError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


# Redis ------------------------------------------------------------------------


class RedisServer:
    """redis-server on a free loopback port, keeping nothing on disk; stopped and started on the same port."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise ServerError("redis-server not found on PATH: the production tests start a private Redis; install `redis-server`")
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="minbar-redis-"))
        self.process = None

    def start(self):
        command = [
            self.binary, "--port", str(self.port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", str(self.root),
        ]
        with open(self.root / "redis.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.ping, 15, f"redis-server on port {self.port}")
        return self

    def ping(self):
        if self.process is None or self.process.poll() is not None:
            raise ServerError(f"redis-server exited; see {self.root / 'redis.log'}")
        with socket.create_connection((LOOPBACK, self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self):
        _stop_process(self.process)
        self.process = None
        wait_for(lambda: not port_open(self.port), 10, f"redis port {self.port} closed")

    def url(self, database=0):
        return f"redis://{LOOPBACK}:{self.port}/{database}"

    def close(self):
        _stop_process(self.process)
        shutil.rmtree(self.root, ignore_errors=True)


# SMTP ---------------------------------------------------------------------------


class MailServer:
    """An SMTP server keeping what it receives; stopped and started on the same port."""

    def __init__(self):
        self.port = free_port()
        self.messages = []  # (recipients, raw bytes)
        self.lock = threading.Lock()
        self.controller = None

    class _Handler:
        def __init__(self, server):
            self.server = server

        async def handle_DATA(self, smtp, session, envelope):
            with self.server.lock:
                self.server.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
            return "250 Message accepted"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self._Handler(self), hostname=LOOPBACK, port=self.port, ready_timeout=10)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        wait_for(lambda: not port_open(self.port), 10, f"SMTP port {self.port} closed")

    def received_by(self, address):
        with self.lock:
            return [raw for recipients, raw in self.messages if address in recipients]

    def url(self):
        return f"smtp://{LOOPBACK}:{self.port}"

    def close(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# A Django shell in the site's environment ------------------------------------


class ShellError(RuntimeError):
    pass


class SiteShell:
    """`python -m tests.production.site_shell` in the site's environment: runs code, answers JSON.

    Code runs in one namespace kept between calls; it sets `result`, which
    comes back (JSON, str() for what JSON cannot hold).
    """

    def __init__(self, env, log_path):
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [PYTHON, "-u", "-m", "tests.production.site_shell"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, cwd=ROOT, env=env, text=True,
        )
        self.answers = queue.Queue()
        self.numbers = itertools.count()
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        self.run("result = 'ready'", timeout=60)

    def _read(self):
        for line in self.process.stdout:
            if line.startswith(SHELL_MARK):
                self.answers.put(json.loads(line[len(SHELL_MARK):]))

    def run(self, code, timeout=30):
        with self.lock:
            number = next(self.numbers)
            if self.process.poll() is not None:
                raise ShellError(f"the site shell exited with {self.process.returncode}; see {self.log.name}")
            self.process.stdin.write(json.dumps({"id": number, "code": code}) + "\n")
            self.process.stdin.flush()
            deadline = time.monotonic() + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ShellError(f"the site shell gave no answer within {timeout} s to: {code[:200]}")
                try:
                    answer = self.answers.get(timeout=remaining)
                except queue.Empty:
                    continue
                if answer["id"] == number:
                    break
        if not answer["ok"]:
            raise ShellError(answer["error"])
        return answer["result"]

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _stop_process(self.process)
        self.log.close()


# The site -----------------------------------------------------------------------

# Run once in the site after migrate: the articles the tests use; `result` is what they need to know.
SETUP_CODE = r"""
from django.contrib.auth import get_user_model
from minbar.comments.models import Comment, CommentStatus
from minbar.moderation.models import DiscussionSettings
from minbar.newsroom.models import ArticlePage, CommentModeration, HomePage, SectionPage

discussion = DiscussionSettings.load()
discussion.moderation = CommentModeration.HOLD_NONE
discussion.min_seconds_to_submit = 1
discussion.save()
home = HomePage.objects.get()
section = SectionPage(title="شؤون المدينة", slug="city", description="أخبار المدينة")
home.add_child(instance=section)
section.save_revision().publish()
paragraph = "تستعد البلدية لافتتاح السوق القديم بعد ترميمه، ويأمل التجار أن تعود إليه الحركة قريبًا. "
articles = {}
for key, title, moderation in (
    ("cached", "السوق القديم يفتح أبوابه", ""),
    ("fresh", "مواقف السيارات حول السوق", ""),
    ("talk", "هل تأخر الترميم؟", ""),
    ("spike", "خبر عاجل: انهيار جسر المدينة", CommentModeration.HOLD_ALL),
):
    article = ArticlePage(title=title, slug=f"market-{key}", body=f"<p>{paragraph * 12}</p>", summary="", language="ar",
                          comment_moderation=moderation)
    section.add_child(instance=article)
    article.save_revision().publish()
    articles[key] = ArticlePage.objects.get(pk=article.pk)
for number in range(50):
    Comment.objects.create(
        article=articles["cached"], author_name=f"قارئ {number}", author_email=f"early{number}@example.org",
        body=f"رأي رقم {number}: المواقف قليلة والزحام كبير.", status=CommentStatus.APPROVED, reader_key=f"seed-{number}",
    )
get_user_model().objects.create_superuser("editor", "editor@example.org", "not-used-by-tests")
result = {
    "paths": {key: article.get_url() for key, article in articles.items()},
    "ids": {key: article.pk for key, article in articles.items()},
}
"""


class Site:
    """Minbar in production settings on the private servers: granian as `minbar run --production` starts it (2 workers), and `minbar worker`."""

    def __init__(self, workdir, postgres, redis, mail, workers=2, threads=None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.postgres, self.redis, self.mail = postgres, redis, mail
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.database = "minbar"
        self.env = {
            **{name: value for name, value in os.environ.items() if not name.startswith(("DATABASE_", "CACHE_", "REDIS_", "MINBAR_", "EMAIL_"))},
            "DJANGO_SETTINGS_MODULE": "minbar.settings.production",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            "MINBAR_SSL_REDIRECT": "0",
            "MINBAR_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": f"{LOOPBACK},localhost",
            "SECRET_KEY": "production-tests-" + "".join(random.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40)),
            "DATABASE_URL": postgres.url(self.database),
            "REDIS_URL": redis.url(0),
            "EMAIL_URL": mail.url(),
            "MINBAR_DATA_DIR": str(self.workdir / "data"),
            "MINBAR_FROM_EMAIL": "Minbar <news@example.org>",
            "MINBAR_TRUSTED_PROXY_HEADER": FORWARDED_HEADER,
            "WAGTAILADMIN_BASE_URL": f"http://{LOOPBACK}:{self.port}",
            "PYTHONUNBUFFERED": "1",
        }
        self.server = self.worker = self.shell = self.command = None
        self.facts = {}
        self.logs = {}

    @property
    def origin(self):
        return f"http://{LOOPBACK}:{self.port}"

    def _log(self, name):
        path = self.workdir / f"{name}.log"
        self.logs[name] = path
        return open(path, "ab")

    def prepare(self):
        """Create the database, migrate and collect static files (at the same time), add the tests' articles."""
        self.postgres.create_database(self.database)
        manage = [PYTHON, "-m", "minbar.cli", "manage"]
        steps = {
            "migrate": subprocess.Popen([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=self.env,
                                        stdout=self._log("migrate"), stderr=subprocess.STDOUT),
            "collectstatic": subprocess.Popen([*manage, "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=self.env,
                                              stdout=self._log("collectstatic"), stderr=subprocess.STDOUT),
        }
        for name, process in steps.items():
            try:
                code = process.wait(timeout=240)
            except subprocess.TimeoutExpired:
                for other in steps.values():
                    _stop_process(other)
                raise ServerError(f"{name} took over 240 s; see {self.logs[name]}") from None
            if code != 0:
                raise ServerError(f"{name} failed (exit {code}): {self.logs[name].read_text()[-3000:]}")
        self.shell = SiteShell(self.env, self.workdir / "shell.log")
        self.facts = self.shell.run(SETUP_CODE, timeout=120)
        return self

    def start(self):
        from minbar.cli import granian_command

        # As `minbar run --production` serves (threads: its default unless given).
        command = granian_command(LOOPBACK, self.port, self.workers, production=True, threads=self.threads)
        self.command = command
        self.server = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self._log("granian"), stderr=subprocess.STDOUT)
        self.worker = subprocess.Popen([PYTHON, "-m", "minbar.cli", "worker", "--interval", "5"], cwd=ROOT, env=self.env,
                                       stdout=self._log("worker"), stderr=subprocess.STDOUT)

        def healthy():
            if self.server.poll() is not None:
                raise ServerError(f"granian exited with {self.server.returncode}: {self.logs['granian'].read_text()[-3000:]}")
            return Client(self.port, timeout=5).get("/healthz").status == 200

        wait_for(healthy, 60, f"the site on port {self.port} (see {self.logs['granian']})", interval=0.2)
        return self

    def path(self, key):
        return self.facts["paths"][key]

    def id(self, key):
        return self.facts["ids"][key]

    def client(self, timeout=10):
        return Client(self.port, timeout=timeout)

    def comment_request(self, article_key, started, number, network, tag="t"):
        """A comment posted as comments.js sends it, by a new reader on `network`: (method, path, body, headers)."""
        from urllib.parse import urlencode

        fields = {
            "text": f"تعليق {tag}-{number}: أرى أن الترميم تأخر، لكن النتيجة تستحق الانتظار.",
            "author_name": f"قارئ {tag} {number}",
            "author_email": f"reader-{tag}-{number}@example.org",
            "started": started,
        }
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            FORWARDED_HEADER: network,
        }
        return "POST", f"/comments/article/{self.id(article_key)}/", urlencode(fields).encode(), headers

    def form_request(self, path, fields, network, accept_json=True):
        from urllib.parse import urlencode

        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin, FORWARDED_HEADER: network}
        if accept_json:
            headers["Accept"] = "application/json"
        return "POST", path, urlencode(fields).encode(), headers

    def stop(self):
        _stop_process(self.server)
        _stop_process(self.worker)

    def close(self):
        self.stop()
        if self.shell is not None:
            self.shell.close()


@dataclass
class Production:
    """Every server of a production site, started together and closed together."""

    postgres: PostgresCluster
    redis: RedisServer
    mail: MailServer
    site: Site
    workdir: Path


@contextlib.contextmanager
def production(workdir=None, workers=2, threads=None):
    """Start PostgreSQL, Redis, SMTP and the site (migrated, with the tests' articles); stop them all after."""
    own_workdir = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="minbar-production-"))
    with contextlib.ExitStack() as stack:
        if own_workdir and not os.environ.get("MINBAR_KEEP_PRODUCTION_LOGS"):
            # Registered first, so run last: after every server has stopped.
            stack.callback(shutil.rmtree, workdir, True)
        postgres = PostgresCluster()
        stack.callback(postgres.close)
        postgres.init().start()
        redis = RedisServer()
        stack.callback(redis.close)
        redis.start()
        mail = MailServer()
        stack.callback(mail.close)
        mail.start()
        site = Site(workdir / "site", postgres, redis, mail, workers=workers, threads=threads)
        stack.callback(site.close)
        site.prepare().start()
        yield Production(postgres, redis, mail, site, workdir)
