"""The site under faults: PostgreSQL stopped under load, Redis stopped, the mail server down.

Each test runs against the real production setup (tests/production/servers.py)
and leaves every server running again when it ends. Every wait is bounded.
"""

import email
import email.policy
import html
import itertools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from .readers import Client, Networks, started_token

pytestmark = pytest.mark.production

OUTAGE_SECONDS = 10
RECOVERY_SECONDS = 5
# A reader's request that takes longer than this is a hang, whatever the answer.
SLOWEST_ANSWER_SECONDS = 4
READ_MESSAGE = (
    "The site cannot reach its database at the moment, so this page cannot be shown. Please try again in a minute."
)
COMMENT_MESSAGE = (
    "Your comment was NOT saved: the site cannot reach its database at the moment. "
    "Keep your text and send it again in a minute."
)


def said(message, language):
    with translation.override(language):
        return _(message)


@dataclass
class Outcome:
    kind: str  # "read-cached", "read-fresh", "post"
    started: float
    finished: float
    status: int = 0
    x_cache: str = ""
    retry_after: str = ""
    body: bytes = b""
    error: str = ""

    @property
    def seconds(self):
        return self.finished - self.started


class Load:
    """Readers and comment posters running side by side until stopped; every answer kept."""

    def __init__(self, site, timeout=SLOWEST_ANSWER_SECONDS + 2):
        self.site, self.timeout = site, timeout
        self.outcomes = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = []
        self.networks = Networks()
        self.numbers = itertools.count()

    def _keep(self, outcome):
        with self.lock:
            self.outcomes.append(outcome)

    def _loop(self, kind, build, pause):
        client = Client(self.site.port, timeout=self.timeout)
        while not self.stopping.is_set():
            method, path, body, headers = build()
            started = time.time()
            try:
                answer = client.request(method, path, body=body, headers=headers)
            except Exception as error:  # noqa: BLE001 - a failed request is an outcome to report
                self._keep(Outcome(kind, started, time.time(), error=f"{type(error).__name__}: {error}"))
                continue
            self._keep(Outcome(kind, started, time.time(), answer.status, answer.header("x-cache"),
                               answer.header("retry-after"), answer.body))
            self.stopping.wait(pause)
        client.close()

    def reader(self, kind, path, pause=0.05, uncached=False):
        """A reader of `path`; with `uncached`, of a new address each time (?reader=N), never in the page cache."""

        def build():
            return "GET", f"{path}?reader={next(self.numbers)}" if uncached else path, None, {}

        self.threads.append(threading.Thread(target=self._loop, args=(kind, build, pause)))

    def poster(self, article_key, started, pause=0.25):
        def build():
            return self.site.comment_request(article_key, started, next(self.numbers), self.networks.next(), tag="outage")

        self.threads.append(threading.Thread(target=self._loop, args=("post", build, pause)))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=self.timeout + 5)

    def of(self, kind, after=float("-inf"), before=float("inf")):
        with self.lock:
            return [o for o in self.outcomes if o.kind == kind and o.started >= after and o.finished <= before]


def comments_on(production, key):
    return production.site.shell.run(
        f"from minbar.comments.models import Comment\nresult = Comment.objects.filter(article_id={production.site.id(key)}).count()"
    )


def warm(client, path):
    """Read `path` until the page cache answers it; the last answer."""
    answer = None
    for _attempt in range(10):
        answer = client.get(path)
        if answer.header("x-cache") == "hit":
            return answer
        time.sleep(0.2)
    raise AssertionError(f"{path} never came from the page cache: {answer.status} {answer.headers}")


def text_of(raw):
    """The text parts of an e-mail, decoded."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return "\n".join(part.get_content() for part in message.walk() if part.get_content_maintype() == "text")


def until(predicate, timeout, interval=0.2):
    """Call `predicate` until it returns a true value; that value, or None after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def test_postgres_stopped_under_load_readers_get_cached_pages_or_a_503_and_no_comment_is_lost(production):
    site = production.site
    client = site.client(timeout=SLOWEST_ANSWER_SECONDS + 2)
    cached = warm(client, site.path("cached"))
    started = started_token(cached.body)
    comments_before = comments_on(production, "talk")
    time.sleep(1.1)  # a person takes time to write: the form's minimum

    load = Load(site)
    load.reader("read-cached", site.path("cached"))
    load.reader("read-cached", site.path("cached"))
    # A page the cache does not hold: each read is of a new address.
    load.reader("read-fresh", site.path("fresh"), uncached=True)
    load.poster("talk", started)
    english = None
    with load:
        time.sleep(2)
        production.postgres.stop()
        stopped = time.time()
        time.sleep(2)
        english = client.get("/en" + site.path("fresh"))
        time.sleep(OUTAGE_SECONDS - 2)
        restarting = time.time()
        production.postgres.start()
        up = time.time()

        probes = itertools.count()

        def renders():
            answer = client.get(f"{site.path('fresh')}?probe={next(probes)}")
            return answer if answer.status == 200 and answer.header("x-cache") != "hit" else None

        rendered = until(renders, RECOVERY_SECONDS + 5, interval=0.1)
        rendered_at = time.time()
        networks = Networks()

        def posts():
            answer = client.request(*site.comment_request("talk", started, next(probes), networks.next(), tag="after"))
            return answer if answer.status == 201 else None

        posted = until(posts, RECOVERY_SECONDS + 5, interval=0.1)
        posted_at = time.time()
        time.sleep(1)

    everything = load.outcomes
    assert everything, "the load sent nothing"
    print(
        f"\nPostgreSQL outage: {len(everything)} requests; during it "
        f"{Counter((o.kind, o.status, o.x_cache) for o in everything if stopped <= o.started and o.finished <= restarting)}; "
        f"slowest {max(o.seconds for o in everything):.2f} s; page rendered {rendered_at - up:.2f} s and comment "
        f"accepted {posted_at - up:.2f} s after the restart"
    )
    failures = [o for o in everything if o.error]
    assert not failures, f"requests failed or hung past {load.timeout} s: {[o.error for o in failures[:5]]}"
    server_errors = [o for o in everything if o.status >= 500 and o.status != 503]
    assert not server_errors, f"server errors: {[(o.kind, o.status, o.body[:200]) for o in server_errors[:5]]}"
    slow = [o for o in everything if o.seconds > SLOWEST_ANSWER_SECONDS]
    assert not slow, f"answers slower than {SLOWEST_ANSWER_SECONDS} s: {[(o.kind, round(o.seconds, 1), o.status) for o in slow[:5]]}"

    # While the database was down.
    during = [o for o in everything if o.started >= stopped and o.finished <= restarting]
    assert len(load.of("read-cached", stopped, restarting)) >= 10, "too few reads during the outage to judge"
    for outcome in during:
        if outcome.kind.startswith("read") and outcome.status == 200:
            assert outcome.x_cache in ("hit", "stale"), f"a 200 during the outage not from the cache: {outcome}"
        else:
            assert outcome.status == 503, f"{outcome.kind} answered {outcome.status} during the outage"
            assert outcome.retry_after.isdigit(), f"a 503 without Retry-After: {outcome}"
    cached_reads = load.of("read-cached", stopped, restarting)
    assert all(o.status == 200 for o in cached_reads), "the page in the cache was not served while the database was down"
    fresh_reads = load.of("read-fresh", stopped, restarting)
    assert fresh_reads and all(o.status == 503 for o in fresh_reads)
    assert said(READ_MESSAGE, "ar") in html.unescape(fresh_reads[-1].body.decode())
    assert english.status == 503 and english.header("retry-after")
    assert READ_MESSAGE in html.unescape(english.text)
    refused_posts = load.of("post", stopped, restarting)
    assert refused_posts, "no comment was posted during the outage"
    for outcome in refused_posts:
        answer = json.loads(outcome.body)
        assert answer == {"ok": False, "saved": False, "message": said(COMMENT_MESSAGE, "ar")}

    # Back to full service within seconds of the restart.
    assert rendered is not None and rendered_at - up <= RECOVERY_SECONDS, (
        f"no page rendered within {RECOVERY_SECONDS} s of the restart ({rendered_at - up:.1f} s)"
    )
    assert posted is not None and posted_at - up <= RECOVERY_SECONDS, (
        f"no comment accepted within {RECOVERY_SECONDS} s of the restart ({posted_at - up:.1f} s)"
    )
    assert site.worker.poll() is None, "the background worker died with the database"

    # Every accepted comment is stored, and nothing else.
    accepted = len([o for o in load.of("post") if o.status == 201]) + 1  # + the recovery probe
    assert comments_on(production, "talk") == comments_before + accepted


def test_redis_stopped_pages_are_rendered_and_readers_can_still_write(production):
    site = production.site
    client = site.client(timeout=5)
    cached = warm(client, site.path("cached"))
    started = started_token(cached.body)
    comment_id = production.site.shell.run(
        "from minbar.comments.models import Comment\n"
        f"result = Comment.objects.filter(article_id={site.id('cached')}, status='approved').first().pk"
    )
    networks = Networks()
    time.sleep(1.1)
    production.redis.stop()
    try:
        answers = {
            "cached page": client.get(site.path("cached")),
            "other page": client.get(site.path("talk")),
            "english page": client.get("/en" + site.path("cached")),
            "comment": client.request(*site.comment_request("talk", started, 1, networks.next(), tag="redis")),
            "vote": client.request(*site.form_request(f"/comments/{comment_id}/vote/", {"value": "up"}, networks.next())),
            "rating": client.request(*site.form_request(f"/ratings/{site.id('cached')}/", {"score": "4"}, networks.next())),
            "subscription": client.request(*site.form_request(
                "/subscriptions/", {"email": "redis-down@example.org", "notify": "comments", "article": site.id("talk")},
                networks.next(),
            )),
        }
    finally:
        production.redis.start()
    expected = {"comment": 201}
    for name, answer in answers.items():
        assert answer.status == expected.get(name, 200), f"{name} answered {answer.status}: {answer.body[:300]!r}"
        assert answer.seconds < 2, f"{name} took {answer.seconds:.1f} s with Redis down"
    for name in ("cached page", "other page", "english page"):
        assert answers[name].header("x-cache") != "hit", f"{name} claims a cache hit with Redis down"
        assert b'name="started"' in answers[name].body, f"{name} is not the whole article page"
    assert answers["comment"].json()["ok"] is True

    # Redis is back (empty): pages are cached again.
    hit = until(lambda: client.get(site.path("cached")).header("x-cache") == "hit", 10)
    assert hit, "the page cache did not resume after Redis came back"


MAIL_STATE = """
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from minbar.moderation.models import EditorNotice
from minbar.subscriptions.models import OutgoingMail

def mail_state(address):
    mail = OutgoingMail.objects.get(address=address)
    waiting = DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now())
    notice = EditorNotice.objects.filter(pk=1).first()
    return {
        "attempts": mail.attempts, "sent": mail.sent_at is not None, "error": mail.last_error,
        "mail_retries": [str(t.pk) for t in waiting.filter(task_path__endswith="deliver_mail", args_kwargs__args=[mail.pk])],
        "notice_retries": [str(t.pk) for t in waiting.filter(task_path__endswith="send_held_comments_notice")],
        "notice_sent_at": str(notice.last_sent_at) if notice and notice.last_sent_at else None,
        "notice_tasks_run": DBTaskResult.objects.filter(task_path__endswith="send_held_comments_notice").exclude(status="READY").count(),
    }

def bring_forward(ids):
    DBTaskResult.objects.filter(pk__in=ids).update(run_after=timezone.now())
"""


def test_mail_server_down_then_up_the_mails_are_kept_retried_and_delivered_once(production):
    site, mail = production.site, production.mail
    address = f"smtp-outage-{int(time.time())}@example.org"
    editor = "editor@example.org"
    client = site.client(timeout=5)
    site.shell.run(MAIL_STATE + "\nEditorNotice.objects.update_or_create(pk=1, defaults={'last_sent_at': None, 'scheduled_for': None})")
    started = started_token(client.get(site.path("spike")).body)
    notices_before = len(mail.received_by(editor))
    time.sleep(1.1)
    mail.stop()
    try:
        # A reader subscribes (a confirmation is owed), and a held comment is owed to the editors.
        answer = client.request(*site.form_request(
            "/subscriptions/", {"email": address, "notify": "comments", "article": site.id("talk")}, Networks().next()
        ))
        assert answer.status == 200 and answer.json()["status"] == "pending", answer.body[:300]
        held = client.request(*site.comment_request("spike", started, 1, Networks().next(), tag="smtp"))
        assert held.status == 201 and held.json()["published"] is False, held.body[:300]

        def both_failed():
            state = site.shell.run(f"result = mail_state({address!r})")
            return state if state["attempts"] >= 1 and state["notice_retries"] else None

        # The worker tries each at once, fails, and queues a retry for later.
        failed = until(both_failed, 30, interval=0.5)
        assert failed, f"the worker did not try both mails: {site.shell.run(f'result = mail_state({address!r})')}"
        assert not failed["sent"] and "refused" in failed["error"].lower(), failed
        assert len(failed["mail_retries"]) == 1 and len(failed["notice_retries"]) == 1, failed
        assert failed["notice_sent_at"] is None, "a notice no editor received was counted as sent"
        assert mail.received_by(address) == [] and len(mail.received_by(editor)) == notices_before
    finally:
        mail.start()

    # The retries are due in minutes: bring them forward rather than wait.
    site.shell.run(f"bring_forward({failed['mail_retries'] + failed['notice_retries']!r})")
    delivered = until(
        lambda: (lambda s: s if s["sent"] and s["notice_sent_at"] else None)(site.shell.run(f"result = mail_state({address!r})")),
        30, interval=0.5,
    )
    assert delivered, "the retried mails were not sent once the mail server was back"
    time.sleep(2)  # a second delivery would come from the worker's next looks
    confirmations = mail.received_by(address)
    assert len(confirmations) == 1, f"{len(confirmations)} confirmation mails delivered"
    assert "/subscriptions/confirm/" in text_of(confirmations[0])
    notices = mail.received_by(editor)[notices_before:]
    assert len(notices) == 1, f"{len(notices)} notices delivered to the editor"
    final = site.shell.run(f"result = mail_state({address!r})")
    assert final["attempts"] == 2 and final["error"] == ""
    assert final["mail_retries"] == [] and final["notice_retries"] == []
