"""Settings for the test suite: fast hashing, tasks run at once, no real mail.

MINBAR_TEST_DATABASE=postgres runs the same tests on PostgreSQL with Redis as
the cache (see tests/conftest.py for how an absent server is reported).
"""

import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tests look at the page cache right after each change (production trusts a
# checked page for half a second; tests/core/test_http_caching.py tests that).
MINBAR_PAGE_CACHE_RECHECK_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False}

if os.environ.get("MINBAR_TEST_DATABASE") == "postgres":
    import dj_database_url

    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("MINBAR_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/minbar")
        )
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ.get("MINBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "KEY_PREFIX": "minbar-test",
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Serve static files straight from the apps' folders: no collectstatic in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
