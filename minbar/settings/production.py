"""Settings for a public site behind TLS: PostgreSQL and Redis from the environment (docs/deploy.md).

`minbar run --production` uses these. `minbar manage check --deploy` is clean
with SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL set.
"""

import os

from minbar.core.logs import logging_config

from .base import *  # noqa: F403

# The proxy in front terminates TLS and says so in X-Forwarded-Proto; it must
# set that header itself, never pass on the client's (docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("MINBAR_SSL_REDIRECT", "1") == "1"
# Load balancers ask for /healthz over plain HTTP, straight from the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers that saw the site over HTTPS refuse plain HTTP to it for
# this long. Sent only on HTTPS answers, so only behind TLS.
SECURE_HSTS_SECONDS = int(os.environ.get("MINBAR_HSTS_SECONDS", "31536000"))
# Off by default: the site's domain may have sub-domains served over plain
# HTTP by someone else, which includeSubDomains would cut off. A site that
# owns them all sets MINBAR_HSTS_INCLUDE_SUBDOMAINS=1; preloading is a
# request to browser makers that only the domain's owner can make.
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("MINBAR_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("MINBAR_HSTS_PRELOAD", "0") == "1"
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]
if os.environ.get("WAGTAILADMIN_BASE_URL"):
    WAGTAILADMIN_BASE_URL = os.environ["WAGTAILADMIN_BASE_URL"]

# One JSON object per line unless MINBAR_LOG_FORMAT=plain (core/logs.py).
LOGGING = logging_config(os.environ.get("MINBAR_LOG_FORMAT", "json"), os.environ.get("MINBAR_LOG_LEVEL", "INFO"))
