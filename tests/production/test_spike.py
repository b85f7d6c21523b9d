"""A breaking story: 64 readers on one article while 5 comments a second are posted and approved.

The same run as bench/spike.py (tests/production/spike.py), shortened to
MINBAR_SPIKE_SECONDS (20 by default) so that CI stays fast.
"""

import os

import pytest

from . import spike

pytestmark = pytest.mark.production


def test_spike_no_errors_every_approved_comment_shown_within_two_seconds_none_lost(production):
    seconds = int(os.environ.get("MINBAR_SPIKE_SECONDS", "20"))
    figures = spike.run(production, seconds=seconds, connections=64, rate=5.0, visible_within=2.0)
    print(f"\nspike figures: {figures}")
    assert figures["reads"] > 0 and figures["posted"] >= int(5 * seconds * 0.9)
    assert figures["problems"] == []
