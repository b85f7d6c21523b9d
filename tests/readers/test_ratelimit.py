"""Fixed-window rate limits in the shared cache."""

from unittest import mock

from minbar.readers import ratelimit


def test_attempts_within_the_limit_pass_and_the_next_is_refused():
    results = [ratelimit.allow("test", "reader-1", limit=3, seconds=60) for _ in range(5)]
    assert results == [True, True, True, False, False]


def test_keys_and_scopes_are_counted_apart():
    for _ in range(3):
        ratelimit.allow("test", "reader-1", limit=3, seconds=60)
    assert not ratelimit.allow("test", "reader-1", limit=3, seconds=60)
    assert ratelimit.allow("test", "reader-2", limit=3, seconds=60)
    assert ratelimit.allow("other", "reader-1", limit=3, seconds=60)


def test_a_new_window_starts_a_new_count():
    with mock.patch("minbar.readers.ratelimit.time.time", return_value=6000.0):
        assert [ratelimit.allow("test", "k", limit=1, seconds=60) for _ in range(2)] == [True, False]
    with mock.patch("minbar.readers.ratelimit.time.time", return_value=6060.0):
        assert ratelimit.allow("test", "k", limit=1, seconds=60)


def test_readers_without_a_key_share_one_count():
    assert ratelimit.allow("test", "", limit=1, seconds=60)
    assert not ratelimit.allow("test", "", limit=1, seconds=60)


def test_a_limit_of_zero_refuses_everything():
    assert not ratelimit.allow("test", "k", limit=0, seconds=60)


def test_reset_forgets_the_current_window():
    ratelimit.allow("test", "k", limit=1, seconds=60)
    assert not ratelimit.allow("test", "k", limit=1, seconds=60)
    ratelimit.reset("test", "k", 60)
    assert ratelimit.allow("test", "k", limit=1, seconds=60)
