"""Site-wide endpoints: robots.txt, health, uploaded media, error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.template import loader
from django.views.static import serve as static_serve


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


def health(request):
    connection.ensure_connection()
    return JsonResponse({"status": "ok"})


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
