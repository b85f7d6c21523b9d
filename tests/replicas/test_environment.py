"""DATABASE_REPLICA_URLS: how an operator names replicas, and what a mistake says."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from minbar.settings import environment

PRIMARY = {"ENGINE": "django.db.backends.postgresql", "NAME": "minbar", "HOST": "db-primary"}


def test_no_variable_means_no_replica(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    assert environment.database_replicas(PRIMARY) == {}
    monkeypatch.setenv("DATABASE_REPLICA_URLS", " , ")
    assert environment.database_replicas(PRIMARY) == {}


def test_several_urls_become_replica_aliases_in_order(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS",
        "postgres://reader:s3cret@db-replica-a:5432/minbar, postgres://reader@db-replica-b/minbar?connect_timeout=1,",
    )
    replicas = environment.database_replicas(PRIMARY)
    assert list(replicas) == ["replica_1", "replica_2"]
    first, second = replicas["replica_1"], replicas["replica_2"]
    assert (first["HOST"], first["PORT"], first["USER"], first["PASSWORD"]) == ("db-replica-a", 5432, "reader", "s3cret")
    assert second["HOST"] == "db-replica-b" and second["NAME"] == "minbar"
    # A dead replica costs seconds; the operator's own timeout wins.
    assert first["OPTIONS"]["connect_timeout"] == 3 and second["OPTIONS"]["connect_timeout"] == 1
    assert first["CONN_MAX_AGE"] == 60 and first["CONN_HEALTH_CHECKS"]
    assert first["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(
    ("urls", "words"),
    [
        ("postgres://reader:s3cret@a/minbar,postgress://reader:s3cret@b/minbar", "entry 2 of 2 is not a database URL"),
        ("replica-host:5432", "entry 1 of 1 is not a database URL"),
        ("mysql://reader:s3cret@a/minbar", "entry 1 of 1 is a mysql database; replicas must be PostgreSQL"),
        ("sqlite:////var/minbar/copy.sqlite3", "is a sqlite3 database; replicas must be PostgreSQL"),
        ("postgres://reader:s3cret@a", "names no database"),
    ],
)
def test_a_wrong_url_is_refused_at_start_with_its_position_and_without_its_password(monkeypatch, urls, words):
    monkeypatch.setenv("DATABASE_REPLICA_URLS", urls)
    with pytest.raises(ImproperlyConfigured) as refused:
        environment.database_replicas(PRIMARY)
    assert "DATABASE_REPLICA_URLS" in str(refused.value) and words in str(refused.value)
    assert "s3cret" not in str(refused.value)


def test_replicas_of_the_embedded_sqlite_are_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://reader@a/minbar")
    primary = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/var/minbar/minbar.sqlite3"}
    with pytest.raises(ImproperlyConfigured, match="need the primary on PostgreSQL"):
        environment.database_replicas(primary)
