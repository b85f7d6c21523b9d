"""Simulated readers of the production site: kept-alive HTTP connections, networks of their own, the comment form.

Used by the production tests and bench/spike.py; plain http.client, so that
a reader costs little and 64 of them fit in one process.
"""

import http.client
import itertools
import json
import random
import re
import threading
import time
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
# The header the site is told to trust (MINBAR_TRUSTED_PROXY_HEADER), as from its own proxy.
FORWARDED_HEADER = "X-Forwarded-For"

@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    seconds: float
    started: float = 0.0  # time.time() when the request was sent
    finished: float = 0.0

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """One kept-alive HTTP/1.1 connection to the site, as one reader's browser holds it.

    Like a browser, a request that could not even be sent because the server
    had closed the kept-alive connection is sent again once on a new one
    (`resent` counts them): the server never saw it; so is a GET the server
    closed such a connection on without a word. Any other failure is raised
    as is, never retried: a POST could be stored twice.
    """

    def __init__(self, port, timeout=10):
        self.port, self.timeout = port, timeout
        self.connection = None
        self.reused = False
        self.resent = 0

    def _send(self, method, path, body, headers):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=self.timeout)
            self.reused = False
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
        except (BrokenPipeError, ConnectionResetError):
            if not self.reused:
                raise
            self.close()
            self.resent += 1
            self._send(method, path, body, headers)

    def request(self, method, path, body=None, headers=None):
        started_wall, started = time.time(), time.perf_counter()
        try:
            self._send(method, path, body, headers)
            try:
                response = self.connection.getresponse()
            except http.client.RemoteDisconnected:
                # The server closed an idle kept-alive connection as the
                # request went out: a browser sends a GET again, never a POST.
                if not self.reused or method not in ("GET", "HEAD"):
                    raise
                self.close()
                self.resent += 1
                self._send(method, path, body, headers)
                response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        self.reused = True
        seconds = time.perf_counter() - started
        answer = Answer(
            response.status, {name.lower(): value for name, value in response.getheaders()}, content, seconds,
            started_wall, started_wall + seconds,
        )
        if answer.header("connection").lower() == "close":
            self.close()
        return answer

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Networks:
    """A new reader address for each simulated reader (the site trusts X-Forwarded-For from its proxy)."""

    def __init__(self):
        self.numbers = itertools.count(random.randrange(0, 200 * 250 * 250))
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            number = next(self.numbers)
        high, rest = divmod(number, 250 * 250)
        middle, low = divmod(rest, 250)
        return f"10.{high % 250 + 1}.{middle}.{low + 1}"


STARTED_FIELD = re.compile(rb'name="started" value="([^"]+)"')


def started_token(body):
    """The comment form's signed start time, read from an article page as a browser has it."""
    found = STARTED_FIELD.search(body)
    if not found:
        raise AssertionError("the article page has no comment form with a start time")
    return found.group(1).decode()
