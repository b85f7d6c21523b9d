"""Site-wide endpoints: robots.txt, health, uploaded media, error pages."""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.template import loader
from django.views.static import serve as static_serve

health_logger = logging.getLogger("minbar.health")


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap_index"))
    news_url = request.build_absolute_uri(reverse("news_sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /ckb/search/",
        "Disallow: /en/search/",
        "",
        f"Sitemap: {sitemap_url}",
        f"Sitemap: {news_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# How long a health probe's cache key lives: it is deleted at once, this is for a probe cut short.
HEALTH_KEY_SECONDS = 10
HEALTH_RETRY_AFTER_SECONDS = 10


@never_cache
@require_safe
def health(request):
    """Whether this server can serve: the database (required) and the cache (the site serves without it).

    200 {"status": "ok"}, or "degraded" while the cache is unreachable (pages
    are rendered, not cached); 503 with Retry-After while the database is
    unreachable. Each check is bounded by its connect timeout (settings/environment.py).
    Says nothing of versions, hosts or errors: a load balancer asks, anybody may.
    """
    database = "ok" if _database_answers() else "unavailable"
    cache_state = "ok" if _cache_answers() else "unavailable"
    if database != "ok":
        status, code = "unavailable", 503
    else:
        status, code = ("ok" if cache_state == "ok" else "degraded"), 200
    response = JsonResponse({"status": status, "database": database, "cache": cache_state}, status=code)
    if code == 503:
        response["Retry-After"] = str(HEALTH_RETRY_AFTER_SECONDS)
    return response


def _database_answers():
    try:
        # The primary, whatever the replica router would pick for a reader.
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:
        health_logger.warning("health: database unavailable (%s)", type(error).__name__)
        return False


def _cache_answers():
    key = f"minbar:health:{secrets.token_hex(8)}"
    try:
        # django-redis is set to ignore its errors (a miss, a skipped write):
        # reading back what was just written is what tells whether Redis answers.
        cache.set(key, 1, HEALTH_KEY_SECONDS)
        answered = cache.get(key) == 1
        cache.delete(key)
    except Exception as error:
        health_logger.warning("health: cache unavailable (%s)", type(error).__name__)
        return False
    if not answered:
        health_logger.warning("health: cache unavailable (a value written could not be read back)")
    return answered


def media_file(request, path):
    """Serve an uploaded file or image rendition; cached for long since renditions never change."""
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=604800"
    return response


def page_not_found(request, exception=None):
    return TemplateResponse(request, "404.html", {"missing_path": request.path}, status=404).render()


def server_error(request):
    # Rendered without a request context: whatever broke may be in it.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)


def bad_request(request, exception=None):
    """A request Django refused before any view could answer (too large, too many fields, a bad Host).

    The reader gets the reason in the interface language; their form is
    still on their screen behind the browser's Back button.
    """
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
    from django.utils.translation import gettext as _

    if isinstance(exception, RequestDataTooBig):
        message = _("What you sent is too large. Shorten it and send it again.")
    elif isinstance(exception, TooManyFieldsSent):
        message = _("The form sent too many fields. Go back to the page and send it again.")
    else:
        message = _("This request could not be understood. Go back to the page and try again.")
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "message": message}, status=400)
    try:
        return TemplateResponse(request, "400.html", {"message": message}, status=400).render()
    except Exception:
        # A bad Host header can break the page chrome itself; say it plainly.
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
