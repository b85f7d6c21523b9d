"""Send readers' reads to a replica and everything else to the primary.

The middleware decides, once per request, whether the request may read a
replica and which one (state.current_reads). The router then answers Django
for every query: a replica for reads while that choice holds, the primary
(`default`) for every write, for reads inside a transaction and for reads
after a write. With no replica configured the middleware leaves no choice,
and the router's whole cost is one context variable lookup.

Other code may force the primary with `use_primary()`. For the page cache:
`is_pinned(request)` says a reader has just written (the pin cookie), and
`note_change()` / `changed_recently()` say that some data changed less than
MINBAR_REPLICA_PIN_SECONDS ago, so that a page rendered now from a replica
might not show it yet.
"""

import logging
import random
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, Error as DatabaseError, connections

from .state import current_reads, primary_forced

logger = logging.getLogger("minbar.replicas")

# environment.database_replicas() names replicas replica_1, replica_2, …
REPLICA_PREFIX = "replica_"
# The pin cookie (settings.MINBAR_REPLICA_PIN_COOKIE): its presence alone says
# "read the primary"; its value is "1".
DEFAULT_PIN_COOKIE_NAME = "minbar_primary"
DEFAULT_PIN_SECONDS = 10
# Present in the shared cache for MINBAR_REPLICA_PIN_SECONDS after a change.
RECENT_CHANGE_KEY = "minbar:replicas:recent-change"
# A replica that could not be reached is not tried again by this process for
# this long, so that a dead replica costs one connection timeout, not one per request.
UNREACHABLE_RETRY_SECONDS = 5
# At most one warning per replica in this period, however many requests fall back.
WARNING_INTERVAL_SECONDS = 60

# Seconds from a clock that never jumps back (a name of its own, so tests can move it).
_clock = time.monotonic
_lock = threading.Lock()
_unreachable_until: dict[str, float] = {}
_last_warning_at: dict[str, float] = {}


def replica_aliases():
    """The configured replicas' aliases (DATABASES entries replica_1, replica_2, …)."""
    return [alias for alias in connections.settings if alias.startswith(REPLICA_PREFIX)]


def reachable_replica(aliases):
    """A replica chosen at random among those not known to be down, or None."""
    now = _clock()
    candidates = [alias for alias in aliases if _unreachable_until.get(alias, 0) <= now]
    return random.choice(candidates) if candidates else None


def pin_cookie_name():
    return getattr(settings, "MINBAR_REPLICA_PIN_COOKIE", DEFAULT_PIN_COOKIE_NAME)


def pin_seconds():
    """How long a writer reads the primary after a write: longer than the replicas' lag."""
    return getattr(settings, "MINBAR_REPLICA_PIN_SECONDS", DEFAULT_PIN_SECONDS)


def is_pinned(request):
    """Whether the request comes from a reader who wrote a moment ago (the pin cookie).

    Such a reader must see the primary's data: a page kept in the page cache
    may have been rendered from a replica that did not yet have their write.
    """
    return pin_cookie_name() in request.COOKIES


def note_change():
    """Remember, for MINBAR_REPLICA_PIN_SECONDS, that data shown on pages changed (no-op without replicas).

    For the page cache, when it drops pages: a page rendered from a replica
    in the next seconds may predate the change and must not be kept as current.
    """
    if replica_aliases():
        cache.set(RECENT_CHANGE_KEY, 1, timeout=pin_seconds())


def changed_recently():
    """Whether note_change() was called less than MINBAR_REPLICA_PIN_SECONDS ago (never without replicas).

    The page cache renders a miss under use_primary() while this holds.
    """
    return bool(replica_aliases()) and cache.get(RECENT_CHANGE_KEY) is not None


@contextmanager
def use_primary():
    """Read from the primary inside this block, whatever the request's choice."""
    token = primary_forced.set(True)
    try:
        yield
    finally:
        primary_forced.reset(token)


def reads_from_primary():
    """Whether a read made now goes to the primary.

    True outside requests, in every request when no replica is configured, in
    requests that write or come from editors or pinned readers, inside a
    transaction or `use_primary()`, and after a replica could not be reached.
    """
    return _replica_for_read() is None


def _replica_for_read():
    reads = current_reads.get()
    if reads is None or reads.replica is None or primary_forced.get():
        return None
    # A transaction is on the primary: what it reads must be what it writes.
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    if not reads.is_connection_checked:
        reads.is_connection_checked = True
        if not _connect(reads.replica):
            reads.replica = None
    return reads.replica


def _connect(alias):
    """Open (or keep) the replica's connection; False, logged, when it cannot be reached."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        _note_unreachable(alias, error)
        return False
    return True


def _note_unreachable(alias, error):
    now = _clock()
    with _lock:
        _unreachable_until[alias] = now + UNREACHABLE_RETRY_SECONDS
        last = _last_warning_at.get(alias)
        if last is not None and now - last < WARNING_INTERVAL_SECONDS:
            return
        _last_warning_at[alias] = now
    # The driver's message names host and port, never the password.
    logger.warning(
        "Database replica %s could not be reached, reading from the primary instead "
        "(tried again every %s s; this warning at most once a minute): %s",
        alias,
        UNREACHABLE_RETRY_SECONDS,
        first_line(error),
    )


def first_line(error):
    """The first line of a database error, for a log or a report (it names host and port, never a password)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class ReplicaRouter:
    """Django's database router for the primary and its read replicas."""

    def db_for_read(self, model, **hints):
        if current_reads.get() is not None:
            return _replica_for_read() or DEFAULT_DB_ALIAS
        # Outside a replica request an object read earlier from a replica
        # (kept in a cache, say) must not pull its relations from there.
        instance = hints.get("instance")
        if instance is not None and (instance._state.db or "").startswith(REPLICA_PREFIX):
            return DEFAULT_DB_ALIAS
        return None

    def db_for_write(self, model, **hints):
        reads = current_reads.get()
        if reads is not None:
            # The request is about to write: it reads the primary from now on,
            # so that it reads what it wrote.
            reads.replica = None
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows: an object read from either may
        # be related to one read from the other.
        databases = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        if any(alias.startswith(REPLICA_PREFIX) for alias in databases):
            return all(alias == DEFAULT_DB_ALIAS or alias.startswith(REPLICA_PREFIX) for alias in databases)
        return None

    def allow_migrate(self, db, app_label, **hints):
        # Replicas are read-only copies: they get the schema by replication.
        if db.startswith(REPLICA_PREFIX):
            return False
        return None
