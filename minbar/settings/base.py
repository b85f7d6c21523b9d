"""Settings shared by every way of running Minbar."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from . import environment

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = environment.data_dir()

SECRET_KEY = environment.secret_key(DATA_DIR)
DEBUG = False
ALLOWED_HOSTS = environment.allowed_hosts(["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "minbar.core",
    "minbar.replicas",
    "minbar.newsroom",
    "minbar.search",
    "minbar.related",
    "minbar.imports",
    "minbar.readers",
    "minbar.comments",
    "minbar.passages",
    "minbar.moderation",
    "minbar.ratings",
    "minbar.subscriptions",
    "minbar.wordpress",
    "minbar.legacy",
    "minbar.demo",
    "minbar.backups",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Compresses what the page cache does not (it keeps pages compressed
    # already). Reader pages carry no secret (no CSRF token), so BREACH has
    # nothing to find.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # One log line per request (core/logs.py) and the security headers:
    # outside the page cache, so pages it answers get them too.
    "minbar.core.logs.AccessLogMiddleware",
    "minbar.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # A database that cannot be reached: a translated 503, never a 500
    # (core/outage.py), wherever below it fails.
    "minbar.core.outage.DatabaseOutageMiddleware",
    # Old WordPress addresses: looked up only for a 404 or for the front page
    # with ?p=/?cat=… , so a normal page costs nothing. Outside the page cache
    # (so "/?p=12" is answered even when the front page was cached under that
    # address, and a 301 is never stored as a page) and outside
    # CommonMiddleware and Wagtail's redirects (so it sees their final 404,
    # and an editor's own redirect wins).
    "minbar.legacy.middleware.LegacyRedirectMiddleware",
    # Readers' pages whole (core/page_cache.py): as early as a hit can be
    # answered, after the HTTPS redirect and with the headers above, before
    # everything a hit does not need. Inside it, what a miss needs: replicas,
    # static files, the language.
    "minbar.core.middleware.AnonymousPageCacheMiddleware",
    # Chooses where each request reads (a replica for readers when
    # DATABASE_REPLICA_URLS names some); inside the page cache: a hit reads nothing.
    "minbar.replicas.middleware.ReplicaReadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "minbar.core.middleware.LanguageFromPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Turns a write that waited too long for SQLite's lock, or a database that
    # cannot be reached, into a translated 503 (inside the page cache, which
    # then answers with the copy it holds).
    "minbar.core.middleware.DatabaseBusyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "minbar.urls"
WSGI_APPLICATION = "minbar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "minbar.core.context_processors.site_chrome",
            ],
        },
    },
]

DATABASES = {"default": environment.database(DATA_DIR)}
# Read replicas (replica_1, replica_2, …) from DATABASE_REPLICA_URLS: readers'
# reads go there, writes and editors to "default" (docs/replicas.md).
DATABASES.update(environment.database_replicas(DATABASES["default"]))
DATABASE_ROUTERS = ["minbar.replicas.router.ReplicaRouter"]
# After a write, the writer reads the primary this many seconds (the pin
# cookie): make it longer than your replicas' lag.
MINBAR_REPLICA_PIN_SECONDS = int(os.environ.get("MINBAR_REPLICA_PIN_SECONDS", "10"))
# The pin cookie's name ("1" for that many seconds, set only in answer to a write).
MINBAR_REPLICA_PIN_COOKIE = "minbar_primary"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": environment.cache()}
globals().update(environment.cache_logging())
globals().update(environment.email())
# The sender of every e-mail; mail servers refuse a domain that is not yours.
DEFAULT_FROM_EMAIL = os.environ.get("MINBAR_FROM_EMAIL", "Minbar <no-reply@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Interface languages. Arabic is the default and has no URL prefix; the
# others live under /ckb/ and /en/. The language is taken from the URL only,
# never from a cookie or Accept-Language, so a cached page is the same for
# every reader who asks for that URL.
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("ckb", _("Central Kurdish")),
    ("en", _("English")),
]
# The language editors name sections, tags and authors in.
MINBAR_CONTENT_LANGUAGE = os.environ.get("MINBAR_CONTENT_LANGUAGE", "ar")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Baghdad"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Site-wide assets (CSS, JS, the Arabic web font) live in minbar/static/minbar/.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Readers' pages must never set a cookie: the session and CSRF cookies are
# only ever created by the admin.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Content-Security-Policy (django-csp, core/security.py). Readers' pages run
# only the site's own script files and style sheets: no inline script, style
# attribute or event handler, nothing from another site (JSON-LD is data, not
# a script). A page that needs more is the page to fix, not this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The Wagtail admin under /admin/: its widgets write inline scripts and
# styles, its page previews are framed by the admin itself, and image uploads
# are previewed from blob: URLs. Still nothing from another site.
MINBAR_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Editors' avatars would come from gravatar.com, telling it who edits the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Permissions-Policy (django-permissions-policy): browser features no page of
# the site uses are refused to it and to anything it might embed. Web Share
# and the clipboard stay allowed: the share links use them.
PERMISSIONS_POLICY = {
    "browsing-topics": [],
    "camera": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

WAGTAIL_SITE_NAME = "منبر"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "webp": "webp"}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_MODERATION_ENABLED = True
TAGGIT_CASE_INSENSITIVE = True

# How long an anonymous reader's page stays fresh in the page cache.
# Publishing, unpublishing or editing anything it shows, a comment, a vote or
# a rating on it invalidate it before that (core/page_cache.py).
MINBAR_PAGE_CACHE_SECONDS = 300
# A process trusts a cached page it has checked this long before checking
# its generations again: a change reaches readers at most this much later,
# and a page read thousands of times a second costs one check per process
# in that time instead of one per reader. 0 checks every request.
MINBAR_PAGE_CACHE_RECHECK_SECONDS = 0.5
# With the in-process cache, what changed is told to every process on this
# machine by touching files named after this one (core/page_cache.py).
MINBAR_PAGE_GENERATION_FILE = DATA_DIR / "page-generation"
# Browsers may keep a page this long (CDNs: MINBAR_PAGE_CACHE_SECONDS, and
# stale-while-revalidate beyond).
MINBAR_BROWSER_CACHE_SECONDS = 60
# A cached page is kept this long after it stops being fresh, and sent (marked
# stale) when it cannot be rendered because the database is unreachable; CDNs
# are told the same (stale-if-error).
MINBAR_PAGE_STALE_IF_ERROR_SECONDS = 24 * 3600
# The response header listing a cached page's dependency keys, for a CDN that
# purges by key: "Surrogate-Key" (Fastly), "Cache-Tag" (Cloudflare). Empty: not sent.
MINBAR_SURROGATE_KEY_HEADER = os.environ.get("MINBAR_SURROGATE_KEY_HEADER", "")
# Dotted path of a function purge(keys, urls) the worker calls after each
# change, to drop a CDN's copies (core/cdn.py, docs/caching.md). Empty: no CDN.
MINBAR_CDN_PURGE = os.environ.get("MINBAR_CDN_PURGE", "")
# Articles listed per page on home, section, author and tag pages.
MINBAR_ARTICLES_PER_PAGE = 12
# Items in the "read also" block.
MINBAR_READ_ALSO_COUNT = 4
# "Read also" asks the search index for this many times MINBAR_READ_ALSO_COUNT
# articles related by their text, then re-ranks them: the text score (1.0 for
# the closest text) plus these boosts for the same section, each shared tag
# (at most MINBAR_READ_ALSO_TAGS_COUNTED) and a shared author. 0 everywhere
# keeps the text's own order; only text-related articles are ever re-ranked
# in. A section holds many subjects and an author writes on many, so those
# boosts stay below what the text says; tags are the editors' own word on
# the subject, so each shared one adds again, up to three.
# See docs/search.md, "Read also".
MINBAR_READ_ALSO_POOL_FACTOR = 5
MINBAR_READ_ALSO_WEIGHTS = {"section": 0.15, "tag": 0.1, "author": 0.05}
MINBAR_READ_ALSO_TAGS_COUNTED = 3
# Words in a "read also" excerpt.
MINBAR_EXCERPT_WORDS = 40
# Seconds between two looks for scheduled articles due to be published.
MINBAR_SCHEDULE_INTERVAL = 30

# Search (minbar.search): results per page, the length a reader's query may
# have (shorter or longer gets a message instead of results), and how many
# articles are analysed and written per transaction when indexing.
MINBAR_SEARCH_RESULTS_PER_PAGE = 10
MINBAR_SEARCH_MIN_QUERY_LENGTH = 2
MINBAR_SEARCH_MAX_QUERY_LENGTH = 200
MINBAR_SEARCH_INDEX_BATCH_SIZE = 500

# Logs on standard error (core/logs.py): MINBAR_LOG_FORMAT=plain (readable
# lines) or json (one object per line; production's default), MINBAR_LOG_LEVEL
# (INFO: one access line per request; WARNING: problems only).
from minbar.core.logs import logging_config  # noqa: E402

LOGGING = logging_config(os.environ.get("MINBAR_LOG_FORMAT", "plain"), os.environ.get("MINBAR_LOG_LEVEL", "INFO"))

# Serve uploaded media from Django itself. Right for the embedded default;
# production sets MINBAR_SERVE_MEDIA=0 when nginx or a CDN serves /media/.
MINBAR_SERVE_MEDIA = os.environ.get("MINBAR_SERVE_MEDIA", "1") == "1"

# Readers and discussion (comments, votes, ratings, subscriptions).
# A forwarding header is trusted only when the site's own proxy sets it, e.g.
# MINBAR_TRUSTED_PROXY_HEADER=X-Forwarded-For behind nginx; see readers/network.py.
MINBAR_TRUSTED_PROXY_HEADER = os.environ.get("MINBAR_TRUSTED_PROXY_HEADER", "")
MINBAR_TRUSTED_PROXY_COUNT = int(os.environ.get("MINBAR_TRUSTED_PROXY_COUNT", "1"))
# Key of the IP and reader hashes; empty means the SECRET_KEY.
MINBAR_READER_HASH_KEY = os.environ.get("MINBAR_READER_HASH_KEY", "")
# The reader cookie: set only on the response to a reader's own comment, vote
# or rating, never on a page. HttpOnly, SameSite=Lax, Secure over HTTPS.
MINBAR_READER_COOKIE_NAME = "minbar_reader"
MINBAR_READER_COOKIE_AGE = 365 * 24 * 3600

# Discussion limits (docs/discussion.md, "Settings"). The apps read each one
# with getattr() and this same default, so a settings module without them
# behaves the same; they are listed here so that every limit is in one place.
# Rate limits are counted in the cache: with the in-process cache each server
# process counts on its own (readers/ratelimit.py).
#
# Comments accepted per window, as [(count, seconds)]: from one network, and
# from one e-mail address.
MINBAR_COMMENT_RATE_LIMITS = {"network": [(5, 60), (30, 3600)], "address": [(10, 3600)]}
# The same text from the same sender on the same article within this many
# hours is refused as a duplicate.
MINBAR_COMMENT_DUPLICATE_HOURS = 24
# At least this many minutes between two e-mails telling editors that
# comments wait for them; comments held in between go into the next one.
MINBAR_MODERATION_NOTICE_MINUTES = 10
# Ratings accepted from one network per minute.
MINBAR_RATINGS_PER_MINUTE = 20
# First ratings of one article from one network within an hour: clearing the
# reader cookie does not buy another vote.
MINBAR_RATING_NEW_READERS_PER_NETWORK = 3
# Confirmation and "my data" e-mails per hour: to one address, and asked for
# from one network.
MINBAR_SUBSCRIPTION_MAILS_PER_ADDRESS = 3
MINBAR_SUBSCRIPTION_MAILS_PER_NETWORK = 10
