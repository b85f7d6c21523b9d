"""The discussion's limits: all set in base.py with the apps' own defaults, and all documented.

Whoever runs the site reads docs/discussion.md and minbar/settings/base.py to
learn what a limit is; these tests fail when either says something the code
does not do.
"""

import re
from pathlib import Path

import pytest

from minbar.moderation import notify, services as moderation_services
from minbar.ratings import services as rating_services
from minbar.subscriptions import services as subscription_services

REPOSITORY = Path(__file__).resolve().parents[2]
DISCUSSION_APPS = ("readers", "comments", "passages", "moderation", "ratings", "subscriptions")
# How the apps read a setting that has a default in code.
READ_WITH_DEFAULT = re.compile(r'(?:getattr\(settings,\s*|_setting\()"(MINBAR_[A-Z0-9_]+)"')


def _settings_read_with_a_default():
    names = set()
    for app in DISCUSSION_APPS:
        for source in (REPOSITORY / "minbar" / app).rglob("*.py"):
            names.update(READ_WITH_DEFAULT.findall(source.read_text(encoding="utf-8")))
    return names


def _value_the_app_uses(name):
    """What the app works with for `name` right now (with or without the setting)."""
    return {
        "MINBAR_COMMENT_RATE_LIMITS": lambda: moderation_services.RATE_LIMITS,
        "MINBAR_COMMENT_DUPLICATE_HOURS": lambda: moderation_services.DUPLICATE_HOURS,
        "MINBAR_MODERATION_NOTICE_MINUTES": lambda: notify.notice_interval().total_seconds() / 60,
        "MINBAR_RATINGS_PER_MINUTE": rating_services.ratings_per_minute,
        "MINBAR_RATING_NEW_READERS_PER_NETWORK": rating_services.new_readers_per_network,
        "MINBAR_SUBSCRIPTION_MAILS_PER_ADDRESS": subscription_services.confirmations_per_address,
        "MINBAR_SUBSCRIPTION_MAILS_PER_NETWORK": subscription_services.confirmations_per_network,
    }[name]()


def test_every_setting_read_with_a_default_is_known_here():
    # A new limit read with getattr() must be added to base.py, to the docs and to the table above.
    assert _settings_read_with_a_default() == {
        "MINBAR_COMMENT_RATE_LIMITS",
        "MINBAR_COMMENT_DUPLICATE_HOURS",
        "MINBAR_MODERATION_NOTICE_MINUTES",
        "MINBAR_RATINGS_PER_MINUTE",
        "MINBAR_RATING_NEW_READERS_PER_NETWORK",
        "MINBAR_SUBSCRIPTION_MAILS_PER_ADDRESS",
        "MINBAR_SUBSCRIPTION_MAILS_PER_NETWORK",
    }


@pytest.mark.parametrize("name", sorted(_settings_read_with_a_default()))
def test_base_settings_hold_the_same_default_as_the_code(settings, name):
    # The rate limits and the duplicate window are read inline: compare the setting with the code's constant.
    from minbar.settings import base

    with_setting = getattr(base, name)
    if name in ("MINBAR_COMMENT_RATE_LIMITS", "MINBAR_COMMENT_DUPLICATE_HOURS"):
        assert with_setting == _value_the_app_uses(name)
        return
    setattr(settings, name, with_setting)
    used_with_setting = _value_the_app_uses(name)
    delattr(settings, name)
    assert _value_the_app_uses(name) == used_with_setting == with_setting


def test_the_discussion_guide_documents_every_setting_with_its_default():
    from minbar.settings import base

    guide = (REPOSITORY / "docs" / "discussion.md").read_text(encoding="utf-8")
    names = _settings_read_with_a_default() | {
        "MINBAR_TRUSTED_PROXY_HEADER",
        "MINBAR_TRUSTED_PROXY_COUNT",
        "MINBAR_READER_HASH_KEY",
        "MINBAR_READER_COOKIE_NAME",
        "MINBAR_READER_COOKIE_AGE",
    }
    for name in sorted(names):
        rows = [line for line in guide.splitlines() if line.startswith(f"| `{name}` |")]
        assert rows, f"docs/discussion.md has no settings row for {name}"
    for name in sorted(_settings_read_with_a_default()):
        row = next(line for line in guide.splitlines() if line.startswith(f"| `{name}` |"))
        default = str(getattr(base, name))
        assert f"`{default}`" in row, f"the row of {name} in docs/discussion.md does not give its default {default}"
