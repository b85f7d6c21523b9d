"""The same-origin check that replaces CSRF tokens on cached pages.

Reader pages are cached whole and shared by everyone, so they cannot carry a
per-reader CSRF token (wpDiscuz's cached nonces expired and broke its forms
again and again). A cross-site form post is told apart instead by what the
browser itself says about where the request came from: `Sec-Fetch-Site`
where sent, otherwise `Origin`, otherwise `Referer`. A request that says
nothing of its origin is refused too: every browser sends Origin with a
form POST.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.http import HttpResponseForbidden
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _host_of(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.netloc.lower() if parts.scheme in ("http", "https") else None


def is_same_origin(request):
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site:
        return fetch_site in ("same-origin", "none")
    own_host = request.get_host().lower()
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null":
        return _host_of(origin) == own_host
    referer = request.META.get("HTTP_REFERER")
    if referer:
        return _host_of(referer) == own_host
    return False


def forbidden_cross_site(request):
    message = _("This form can only be sent from a page of this site. Go back to the article and send it again.")
    body = render_to_string("readers/forbidden.html", {"message": message}, request=request)
    return HttpResponseForbidden(body)


def same_origin_post(view):
    """Let `view` take POSTs only from this site's own pages, without a CSRF token."""

    @csrf_exempt
    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method not in SAFE_METHODS and not is_same_origin(request):
            return forbidden_cross_site(request)
        return view(request, *args, **kwargs)

    return checked
