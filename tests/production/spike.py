"""A breaking-news spike: many readers on one article while comments pour in and are approved.

Shared by tests/production/test_spike.py (20 s) and bench/spike.py (120 s).
Against a running production site (servers.production()):

- `connections` readers, each on its own kept-alive connection, read the
  article page again and again (anonymous, so from the page cache);
- `rate` comments a second are posted as comments.js posts them, each by a
  new reader on a network of its own; the article holds every comment for
  review, so each is approved by an editor: here through the moderation
  service (minbar.moderation.actions.approve), in a Django shell working on
  the same PostgreSQL and Redis as the site;
- one more reader reads the article ordered newest first and notes when each
  approved comment first shows there: its visibility delay, measured from
  the moment its approval was committed.

At the end every approved comment must be on the page (all comments shown)
and in the database. Nothing here asserts: `run` returns the figures and the
problems it saw, and the caller decides.
"""

import itertools
import queue
import statistics
import threading
import time
from collections import Counter

from .readers import Client, Networks, started_token

# The editor's side, loaded once into the site shell.
APPROVER = """
import time as _time
from minbar.comments.models import Comment as _Comment
from minbar.moderation import actions as _actions

def approve(pk):
    _actions.approve(_Comment.objects.filter(pk=pk))
    return _time.time()
"""


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Spike:
    def __init__(self, production, seconds, connections=64, rate=5.0, visible_within=2.0, article="spike"):
        self.site = production.site
        self.seconds, self.connections, self.rate = seconds, connections, rate
        self.visible_within = visible_within
        self.path = self.site.path(article)
        self.article = article
        self.stop_reading = threading.Event()
        self.lock = threading.Lock()
        self.networks = Networks()
        self.tag = f"spike{int(time.time()) % 100000}"
        # Readers of the article.
        self.read_statuses = Counter()
        self.read_cache = Counter()
        self.read_latencies = []
        self.read_errors = []
        self.resent = 0
        # Comments.
        self.post_statuses = Counter()
        self.post_latencies = []
        self.post_errors = []
        self.posted = []  # comment ids accepted (held for review)
        self.accepted_numbers = set()  # post numbers answered 201
        self.refused_numbers = set()  # post numbers answered otherwise: their comment must not be stored
        self.to_approve = queue.Queue()
        self.approved = {}  # id -> time the approval was committed
        self.approval_errors = []
        self.visible = {}  # id -> seconds from approval to first seen on the page
        self.poll_statuses = Counter()
        self.poll_errors = []

    # Readers ---------------------------------------------------------------------

    def _reader(self):
        client = Client(self.site.port, timeout=30)
        statuses, cache, latencies, errors = Counter(), Counter(), [], []
        while not self.stop_reading.is_set():
            try:
                answer = client.get(self.path)
            except Exception as error:  # noqa: BLE001 - counted as an error of the run
                errors.append(f"{type(error).__name__}: {error}")
                continue
            statuses[answer.status] += 1
            cache[answer.header("x-cache") or "none"] += 1
            latencies.append(answer.seconds)
        client.close()
        with self.lock:
            self.read_statuses.update(statuses)
            self.read_cache.update(cache)
            self.read_latencies.extend(latencies)
            self.read_errors.extend(errors)
            self.resent += client.resent

    # Comments --------------------------------------------------------------------

    def _post(self, number, form_started):
        """One comment by one new reader, on a connection of its own."""
        client = Client(self.site.port, timeout=30)
        request = self.site.comment_request(self.article, form_started, number, self.networks.next(), tag=self.tag)
        try:
            answer = client.request(*request)
        except Exception as error:  # noqa: BLE001 - counted as an error of the run
            with self.lock:
                self.post_errors.append(f"{type(error).__name__}: {error}")
            return
        finally:
            client.close()
        with self.lock:
            self.post_statuses[answer.status] += 1
            self.post_latencies.append(answer.seconds)
        if answer.status != 201:
            with self.lock:
                self.refused_numbers.add(number)
                self.post_errors.append(f"{answer.status}: {answer.body[:200]!r}")
            return
        payload = answer.json()
        with self.lock:
            self.accepted_numbers.add(number)
            if payload.get("published"):
                self.post_errors.append(f"comment {payload['comment']} published without review")
            self.posted.append(payload["comment"])
        self.to_approve.put(payload["comment"])

    def _post_on_time(self, started_at, form_started):
        """Start one post every 1/rate seconds, whatever the earlier ones wait for: readers do not queue."""
        posts = []
        for number in itertools.count():
            due = started_at + number / self.rate
            if due >= started_at + self.seconds:
                break
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            post = threading.Thread(target=self._post, args=(number, form_started), daemon=True)
            post.start()
            posts.append(post)
        for post in posts:
            post.join(timeout=max(1.0, started_at + self.seconds + 60 - time.monotonic()))

    def _approver(self):
        while True:
            comment = self.to_approve.get()
            if comment is None:
                return
            try:
                approved_at = self.site.shell.run(f"result = approve({int(comment)})", timeout=30)
            except Exception as error:  # noqa: BLE001 - counted as an error of the run
                with self.lock:
                    self.approval_errors.append(f"{comment}: {error}"[:300])
                continue
            with self.lock:
                self.approved[comment] = approved_at

    def _watcher(self, done):
        """Read the article newest first, over and over; note when each approved comment first shows."""
        client = Client(self.site.port, timeout=30)
        path = f"{self.path}?order=newest"
        while not done.is_set():
            with self.lock:
                waiting = {pk: at for pk, at in self.approved.items() if pk not in self.visible}
            try:
                answer = client.get(path)
            except Exception as error:  # noqa: BLE001 - counted as an error of the run
                self.poll_errors.append(f"{type(error).__name__}: {error}")
                continue
            self.poll_statuses[answer.status] += 1
            if answer.status != 200:
                continue
            body = answer.body
            with self.lock:
                for pk, approved_at in waiting.items():
                    if f'id="comment-{pk}"'.encode() in body:
                        self.visible[pk] = max(0.0, answer.finished - approved_at)
            time.sleep(0.05)
        client.close()

    # The run ---------------------------------------------------------------------

    def run(self):
        self.site.shell.run(APPROVER)
        opening = Client(self.site.port, timeout=30)
        page = opening.get(self.path)
        if page.status != 200:
            raise AssertionError(f"{self.path} answered {page.status}")
        form_started = started_token(page.body)
        comments_before = self._stored()
        time.sleep(1.1)  # the form's minimum time to write

        readers = [threading.Thread(target=self._reader, daemon=True) for _ in range(self.connections)]
        approver = threading.Thread(target=self._approver, daemon=True)
        watching_done = threading.Event()
        watcher = threading.Thread(target=self._watcher, args=(watching_done,), daemon=True)
        began = time.monotonic()
        for thread in [*readers, approver, watcher]:
            thread.start()
        self._post_on_time(began, form_started)
        posting_seconds = time.monotonic() - began
        time.sleep(max(0.0, began + self.seconds - time.monotonic()))
        self.to_approve.put(None)
        approver.join(timeout=120)
        # Readers go on while the last approvals show: the page is read under load to the end.
        deadline = time.monotonic() + self.visible_within + 10
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.visible) >= len(self.approved):
                    break
            time.sleep(0.1)
        self.stop_reading.set()
        watching_done.set()
        reading_seconds = time.monotonic() - began
        for thread in [*readers, watcher]:
            thread.join(timeout=60)

        # Every approved comment on the page (all shown) and in the database.
        final = opening.get(f"{self.path}?order=newest&all=1")
        opening.close()
        missing_on_page = [pk for pk in self.approved if f'id="comment-{pk}"'.encode() not in final.body]
        stored = self._stored()
        # Which posts the stored comments came from (their text carries the post's number).
        stored_numbers = self.site.shell.run(
            "import re\nfrom minbar.comments.models import Comment\n"
            f"texts = Comment.objects.filter(article_id={self.site.id(self.article)}).values_list('body', flat=True)\n"
            f"result = sorted(int(m.group(1)) for m in (re.search(r'{self.tag}-(\\d+):', t) for t in texts) if m)"
        )
        approved_stored = set(self.site.shell.run(
            "from minbar.comments.models import Comment\n"
            f"result = list(Comment.objects.filter(article_id={self.site.id(self.article)}, status='approved')"
            f".values_list('pk', flat=True))"
        ))
        return self._figures(
            posting_seconds=posting_seconds,
            reading_seconds=reading_seconds,
            comments_before=comments_before,
            stored=stored,
            approved_stored=approved_stored,
            missing_on_page=missing_on_page,
            final_status=final.status,
            stored_numbers=set(stored_numbers),
        )

    def _stored(self):
        return self.site.shell.run(
            "from minbar.comments.models import Comment\n"
            f"result = Comment.objects.filter(article_id={self.site.id(self.article)}).count()"
        )

    def _figures(self, *, posting_seconds, reading_seconds, comments_before, stored, approved_stored, missing_on_page,
                 final_status, stored_numbers):
        delays = list(self.visible.values())
        reads = sum(self.read_statuses.values())
        never_seen = sorted(set(self.approved) - set(self.visible))
        late = sorted(pk for pk, delay in self.visible.items() if delay > self.visible_within)
        problems = []
        if self.read_errors or set(self.read_statuses) - {200}:
            problems.append(f"reads: statuses {dict(self.read_statuses)}, {len(self.read_errors)} errors {self.read_errors[:3]}")
        if self.post_errors or set(self.post_statuses) - {201}:
            problems.append(f"posts: statuses {dict(self.post_statuses)}, errors {self.post_errors[:3]}")
        if self.approval_errors:
            problems.append(f"approvals failed: {self.approval_errors[:3]}")
        if self.poll_errors or set(self.poll_statuses) - {200}:
            problems.append(f"newest-first reads: statuses {dict(self.poll_statuses)}, errors {self.poll_errors[:3]}")
        if len(self.approved) != len(self.posted):
            problems.append(f"{len(self.posted)} comments posted but {len(self.approved)} approved")
        if never_seen:
            problems.append(f"{len(never_seen)} approved comments never seen on the page: {never_seen[:10]}")
        if late:
            problems.append(f"{len(late)} comments shown later than {self.visible_within} s after approval: {late[:10]}")
        if final_status != 200 or missing_on_page:
            problems.append(f"all-comments page answered {final_status}; missing there: {missing_on_page[:10]}")
        if stored != comments_before + len(self.posted):
            problems.append(f"database holds {stored - comments_before} new comments, {len(self.posted)} were accepted")
        if self.refused_numbers & stored_numbers:
            problems.append(
                f"{len(self.refused_numbers & stored_numbers)} comments stored although their reader was told they were "
                f"not: posts {sorted(self.refused_numbers & stored_numbers)[:10]}"
            )
        if self.accepted_numbers - stored_numbers:
            problems.append(f"accepted comments missing from the database: posts {sorted(self.accepted_numbers - stored_numbers)[:10]}")
        if not set(self.approved) <= approved_stored:
            problems.append(f"approved comments not approved in the database: {sorted(set(self.approved) - approved_stored)[:10]}")
        expected_posts = int(self.rate * self.seconds)
        if len(self.posted) < 0.9 * expected_posts:
            problems.append(f"only {len(self.posted)} comments posted of the {expected_posts} planned: the posting fell behind")

        def ms(value):
            return None if value is None else round(value * 1000, 1)

        return {
            "seconds": self.seconds,
            "connections": self.connections,
            "rate": self.rate,
            "reads": reads,
            "reads_per_second": round(reads / reading_seconds, 1) if reading_seconds else None,
            "read_statuses": dict(self.read_statuses),
            "read_cache": dict(self.read_cache),
            "read_errors": len(self.read_errors),
            "read_p50_ms": ms(percentile(self.read_latencies, 0.50)),
            "read_p95_ms": ms(percentile(self.read_latencies, 0.95)),
            "read_p99_ms": ms(percentile(self.read_latencies, 0.99)),
            "read_max_ms": ms(max(self.read_latencies) if self.read_latencies else None),
            "resent_on_new_connection": self.resent,
            "posted": len(self.posted),
            "posting_seconds": round(posting_seconds, 1),
            "post_statuses": dict(self.post_statuses),
            "post_p50_ms": ms(percentile(self.post_latencies, 0.50)),
            "post_p95_ms": ms(percentile(self.post_latencies, 0.95)),
            "approved": len(self.approved),
            "visible": len(self.visible),
            "visibility_p50_s": round(statistics.median(delays), 3) if delays else None,
            "visibility_p95_s": round(percentile(delays, 0.95), 3) if delays else None,
            "visibility_max_s": round(max(delays), 3) if delays else None,
            "newest_first_reads": sum(self.poll_statuses.values()),
            "stored_new_comments": stored - comments_before,
            "stored_although_refused": len(self.refused_numbers & stored_numbers),
            "problems": problems,
        }


def run(production, seconds, connections=64, rate=5.0, visible_within=2.0):
    """Run the spike against a started production site; its figures, with `problems` empty when all was well."""
    return Spike(production, seconds, connections=connections, rate=rate, visible_within=visible_within).run()
