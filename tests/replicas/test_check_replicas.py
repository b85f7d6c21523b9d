"""`minbar manage check_replicas`: the operator's look at each replica."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from .conftest import ALIAS, REPLICA_DB

pytestmark = [REPLICA_DB, pytest.mark.usefixtures("replica_alias")]


def test_a_replica_that_answers_is_reported(replica, capsys):
    with translation.override("en"):
        if replica.vendor == "postgresql":
            # The test replica is the test database itself, not a standby: exactly the mistake to catch.
            with pytest.raises(CommandError, match=ALIAS):
                call_command("check_replicas")
            assert f"{ALIAS}: answers, but is not a standby" in capsys.readouterr().out
        else:
            call_command("check_replicas")
            assert f"{ALIAS}: answers." in capsys.readouterr().out


def test_a_replica_that_cannot_be_reached_fails_the_check(unreachable_replica, capsys):
    with translation.override("en"), pytest.raises(CommandError, match="Not every replica is usable: replica_1"):
        call_command("check_replicas")
    assert f"{ALIAS}: cannot be reached" in capsys.readouterr().out
