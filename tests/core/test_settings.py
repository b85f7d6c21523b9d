"""The embedded default: SQLite tuned for a web server, configuration from the environment."""

from pathlib import Path

import pytest
from django.db import connection

from minbar.settings import environment


def test_sqlite_default_lives_in_the_data_folder_with_wal_and_immediate_transactions(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = environment.database(tmp_path)
    assert config["NAME"] == str(tmp_path / "minbar.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


def test_database_url_selects_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://news:secret@db.internal:5432/minbar")
    config = environment.database(tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "db.internal"
    assert config["NAME"] == "minbar"


@pytest.mark.parametrize("variable", ["REDIS_URL", "CACHE_URL"])
def test_redis_url_selects_redis_cache(monkeypatch, variable):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.setenv(variable, "redis://127.0.0.1:6379/3")
    assert environment.cache()["BACKEND"] == "django_redis.cache.RedisCache"


def test_without_redis_the_cache_is_in_process(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CACHE_URL", raising=False)
    assert environment.cache()["BACKEND"].endswith("LocMemCache")


def test_email_url_configures_smtp(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "submission://user:pw@mail.example.org:587")
    config = environment.email()
    assert config["EMAIL_HOST"] == "mail.example.org"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_USE_TLS"] is True


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = environment.secret_key(tmp_path)
    assert len(first) >= 50
    assert environment.secret_key(tmp_path) == first
    assert oct(Path(tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert environment.secret_key(tmp_path) == "from-the-environment"


def test_allowed_hosts_from_environment(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "news.example.org, www.news.example.org")
    assert environment.allowed_hosts(["localhost"]) == ["news.example.org", "www.news.example.org"]


@pytest.mark.django_db
def test_connection_uses_the_configured_engine():
    # Guards the second CI run: it must really be talking to PostgreSQL.
    import os

    expected = "postgresql" if os.environ.get("MINBAR_TEST_DATABASE") == "postgres" else "sqlite"
    assert connection.vendor == expected
