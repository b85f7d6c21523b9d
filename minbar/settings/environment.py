"""Read Minbar's configuration from the environment, in one place.

Every deployment knob is an environment variable so that the same code runs
embedded (SQLite, in-process cache, console e-mail) and in production
(PostgreSQL, Redis, SMTP) without editing settings files.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url

SQLITE_OPTIONS = {
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue on busy_timeout instead of failing
    # with "database is locked" half-way through a transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}


def data_dir() -> Path:
    """Return the data folder (SQLite file, media, generated secret), creating it."""
    path = Path(os.environ.get("MINBAR_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """Use SECRET_KEY, or a key generated once and kept in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database(folder: Path) -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "minbar.sqlite3")}
    else:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 0
    return config


def cache() -> dict:
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "minbar",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "minbar"}


def email() -> dict:
    url = os.environ.get("EMAIL_URL")
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    config = dj_email_url.parse(url)
    if "EMAIL_BACKEND" not in config:
        raise ValueError(f"EMAIL_URL scheme not understood; use smtp://, submission:// or console://, not {url.split(':')[0]}://")
    return {
        "EMAIL_BACKEND": config["EMAIL_BACKEND"],
        "EMAIL_HOST": config["EMAIL_HOST"],
        "EMAIL_PORT": config["EMAIL_PORT"],
        "EMAIL_HOST_USER": config["EMAIL_HOST_USER"],
        "EMAIL_HOST_PASSWORD": config["EMAIL_HOST_PASSWORD"],
        "EMAIL_USE_TLS": config["EMAIL_USE_TLS"],
        "EMAIL_USE_SSL": config["EMAIL_USE_SSL"],
    }


def allowed_hosts(default: list[str]) -> list[str]:
    value = os.environ.get("ALLOWED_HOSTS")
    if not value:
        return default
    return [host.strip() for host in value.split(",") if host.strip()]
