"""Read Minbar's configuration from the environment, in one place.

Every deployment knob is an environment variable so that the same code runs
embedded (SQLite, in-process cache, console e-mail) and in production
(PostgreSQL, Redis, SMTP) without editing settings files.
"""

import logging
import os
import secrets
import threading
import time
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


# Seconds a request waits for PostgreSQL to accept a connection, and for Redis
# to connect or answer, before it goes on without them.
DATABASE_CONNECT_TIMEOUT = 3
CACHE_TIMEOUT_SECONDS = 0.5
CACHE_LOGGER = "minbar.cache"


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
        # Connections are kept a minute and checked before each request's
        # first query, so a restarted PostgreSQL is reconnected to at once.
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # A database host that does not answer must cost a request seconds
        # (then a 503, core/outage.py), not the system's minutes-long TCP timeout.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    return config


def database_replicas(primary: dict) -> dict:
    """Read replicas of the primary from DATABASE_REPLICA_URLS, as aliases replica_1, replica_2, …

    Comma-separated URLs in DATABASE_URL's form; none when the variable is
    unset or empty (docs/replicas.md). Errors name the entry by position,
    never its text, which may hold a password.
    """
    from django.core.exceptions import ImproperlyConfigured

    urls = [url.strip() for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if url.strip()]
    replicas = {}
    for number, url in enumerate(urls, start=1):
        where = f"DATABASE_REPLICA_URLS: entry {number} of {len(urls)}"
        try:
            config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except ValueError:
            scheme = url.split("://")[0] if "://" in url else ""
            raise ImproperlyConfigured(
                f"{where} is not a database URL (scheme {scheme!r}); "
                "write it like DATABASE_URL, e.g. postgres://minbar@replica-host:5432/minbar"
            ) from None
        postgresql = "django.db.backends.postgresql"
        if primary["ENGINE"] != postgresql:
            raise ImproperlyConfigured(
                "DATABASE_REPLICA_URLS is set, but read replicas need the primary on PostgreSQL "
                f"and DATABASE_URL names {primary['ENGINE'].rsplit('.', 1)[-1]}"
            )
        if config["ENGINE"] != postgresql:
            raise ImproperlyConfigured(
                f"{where} is a {config['ENGINE'].rsplit('.', 1)[-1]} database; replicas must be "
                "PostgreSQL copies of the primary (postgres://…)"
            )
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{where} names no database; end it with the database name, e.g. /minbar")
        # A replica that is down must cost a request seconds, not the
        # operating system's minutes-long TCP timeout.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
        # Tests never build a database of their own for a replica.
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"replica_{number}"] = config
    return replicas


def cache() -> dict:
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "minbar",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # Redis only makes the site faster: while it is down or slow a
                # lookup is a miss and a write is skipped, never a server error
                # (pages are rendered, rate limits let readers through).
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": CACHE_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": CACHE_TIMEOUT_SECONDS,
            },
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "minbar"}


def cache_logging() -> dict:
    """Settings for django-redis's log of the errors it ignores: one line per minute at most.

    An unreachable Redis fails every lookup; a traceback for each would bury
    everything else in the log.
    """
    logging.getLogger(CACHE_LOGGER).addFilter(OncePerInterval(60))
    return {"DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS": True, "DJANGO_REDIS_LOGGER": CACHE_LOGGER}


class OncePerInterval(logging.Filter):
    """Let one record through per `seconds`; the next one says how many were held back."""

    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds
        self.last = float("-inf")
        self.held_back = 0
        self.lock = threading.Lock()

    def filter(self, record):
        now = time.monotonic()
        with self.lock:
            if now - self.last < self.seconds:
                self.held_back += 1
                return False
            held_back, self.held_back, self.last = self.held_back, 0, now
        if held_back:
            record.msg = f"{record.msg} ({held_back} more like it in the last {self.seconds} s not logged)"
        return True


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
