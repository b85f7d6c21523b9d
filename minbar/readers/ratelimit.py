"""Fixed-window rate limits kept in the cache.

`allow("vote", reader.ip_hash, limit=30, seconds=60)` counts one more attempt
and says whether it is still within the limit. The count lives in the
default cache: with Redis every process shares it; with the embedded
in-process cache each server process counts on its own, so the effective
limit is the limit times the number of processes (`minbar run` starts one
per core, up to four): still a bound, documented in docs/discussion.md.
While a shared cache is unreachable, nothing is counted and every attempt
is allowed.
"""

import time

from django.core.cache import cache


def _window_key(scope, key, seconds):
    window = int(time.time() // seconds)
    return f"minbar:rate:{scope}:{key}:{seconds}:{window}"


def allow(scope, key, *, limit, seconds):
    """Count an attempt of `key` in `scope`; False once more than `limit` were made in the window."""
    if not key:
        key = "unknown"
    cache_key = _window_key(scope, key, seconds)
    # add() is atomic: only the first attempt of a window creates the counter.
    if cache.add(cache_key, 1, timeout=seconds + 1):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The window expired between add() and incr(): this is its first attempt.
        cache.set(cache_key, 1, timeout=seconds + 1)
        count = 1
    if count is None:
        # The cache could not be reached (django-redis answers None while
        # Redis is down): nothing can be counted, so readers are let through
        # rather than refused; duplicates are still caught in the database.
        return True
    return count <= limit


def reset(scope, key, seconds):
    """Forget the attempts of `key` in the current window (tests and moderators)."""
    cache.delete(_window_key(scope, key or "unknown", seconds))
