"""What the concurrency tests share: a threaded HTTP server in this process, and readers who hit it at once.

The readers are plain http.client requests sent as comments.js and ratings.js
send them (a form body, `Accept: application/json`, the page's own Origin),
each from its own network (X-Forwarded-For, trusted for the test) and with
its own reader cookie once the site has given it one.
"""

import http.client
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.utils import translation

from minbar.moderation.forms import form_timestamp

CLIENT_WORKERS = 32
# The header the test's "proxy" sets; the site trusts it only because the test says so.
FORWARDED_HEADER = "X-Forwarded-For"
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class BusyServer(ThreadedWSGIServer):
    """Django's threaded server, with a listen queue deep enough for every client thread at once."""

    request_queue_size = 256


class SiteServer:
    """The whole site (every middleware, the page cache) served on a free port from a background thread."""

    def __init__(self):
        self.httpd = BusyServer(("127.0.0.1", 0), QuietRequestHandler, allow_reuse_address=False)
        self.httpd.set_app(WSGIHandler())
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


@dataclass
class Answer:
    status: int
    body: bytes
    cookie: str = ""
    seconds: float = 0.0
    headers: dict = field(default_factory=dict)

    @property
    def data(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode()


@dataclass
class Reader:
    """One reader: their network and, after their first accepted action, their cookie."""

    ip: str
    cookie: str = ""
    answers: list = field(default_factory=list)


def network(number):
    """A distinct private IPv4 address for reader `number` (one host each: no network limit is shared)."""
    high, rest = divmod(number, 250 * 250)
    middle, low = divmod(rest, 250)
    return f"10.{high + 1}.{middle}.{low + 1}"


def send(server, path, fields=None, *, reader, method="POST"):
    """Send a request as `reader`'s browser script would; keep the reader cookie the site sets."""
    headers = {"Connection": "close", "Accept": "application/json", FORWARDED_HEADER: reader.ip}
    body = None
    if method == "POST":
        body = urlencode(fields or {}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = server.origin
    if reader.cookie:
        headers["Cookie"] = f"{settings.MINBAR_READER_COOKIE_NAME}={reader.cookie}"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        cookies = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookies.load(value)
    finally:
        connection.close()
    answer = Answer(status=response.status, body=content, seconds=time.perf_counter() - started)
    morsel = cookies.get(settings.MINBAR_READER_COOKIE_NAME)
    if morsel is not None and morsel.value:
        reader.cookie = answer.cookie = morsel.value
    reader.answers.append(answer)
    return answer


def get_page(server, path):
    """An anonymous reader's GET of a page (no cookie, like any first visit)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        connection.request("GET", path, headers={"Connection": "close", FORWARDED_HEADER: "192.0.2.1"})
        response = connection.getresponse()
        return Answer(status=response.status, body=response.read(), headers=dict(response.getheaders()))
    finally:
        connection.close()


def all_at_once(jobs, workers=CLIENT_WORKERS):
    """Run every job (a no-argument callable) from `workers` threads at once; their results, in order.

    A barrier holds the first wave until every thread is ready, so the
    requests really overlap instead of trickling in as threads start.
    """
    jobs = list(jobs)
    workers = max(1, min(workers, len(jobs)))
    barrier = threading.Barrier(workers)
    started = threading.local()

    def run(job):
        if not getattr(started, "done", False):
            started.done = True
            barrier.wait(timeout=60)
        return job()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Each worker takes one job first, so every worker reaches the barrier.
        return list(pool.map(run, jobs))


def comment_fields(number, **extra):
    """A comment as the form sends it, by reader `number`, its form shown a minute ago."""
    fields = {
        "text": f"تعليق القارئ رقم {number}: أرى أن البلدية تأخرت في ترميم السوق، لكن النتيجة تستحق الانتظار.",
        "author_name": f"قارئ {number}",
        "author_email": f"reader{number}@example.org",
        "started": form_timestamp(time.time() - 60),
    }
    fields.update(extra)
    return fields


def article_path(article, language="en"):
    """The article's path in an interface (English by default: ASCII digits are easier to read back)."""
    with translation.override(language):
        return article.get_url()


def shown_comment_count(html):
    """The number in the comment section's heading."""
    match = re.search(r'id="comments-heading"[^>]*>\s*([\d٠-٩]+)', html)
    assert match, "the comment section's heading has no count"
    return int(match.group(1).translate(ARABIC_INDIC))


def shown_scores(html):
    """{comment id: score shown beside its vote buttons}."""
    scores = {}
    for block in re.findall(r'<li id="comment-(\d+)".*?<output class="comment-score"[^>]*>([^<]*)</output>', html, re.S):
        comment_id, score = block
        scores[int(comment_id)] = int(score.translate(ARABIC_INDIC).replace("\u2212", "-"))
    return scores


def shown_rating_count(html):
    match = re.search(r'class="rating-summary" data-count="(\d+)"', html)
    assert match, "the rating box has no count"
    return int(match.group(1))


def shown_rating_average(html):
    match = re.search(r'class="rating-average">([^<]+)<', html)
    return match.group(1).translate(ARABIC_INDIC).replace("\u066b", ".") if match else None
