"""Answer old WordPress addresses with a permanent redirect, but only where Minbar itself has nothing."""

from django.http import HttpResponsePermanentRedirect
from django.utils.http import escape_leading_slashes

from .keys import OLD_QUERY_NAMES
from .services import resolve

# Minbar's own areas: a 404 there is Minbar's answer, not an old address.
# /en/ and /ckb/: the old site had no language prefixes.
_OWN_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/comments/", "/ratings/", "/subscriptions/",
                 "/passages/", "/search/", "/en/", "/ckb/")
# ...except the old site's comments feed, which shares Minbar's /comments/ prefix.
_OLD_ADDRESSES_UNDER_OWN_PREFIXES = ("/comments/feed",)
_FRONT_PAGE_PATHS = ("/", "/index.php")
# An old address never comes back to life: browsers and proxies may keep the answer a day.
CACHE_SECONDS = 86400


class LegacyRedirectMiddleware:
    """Placed outside the page cache and outside CommonMiddleware and Wagtail's redirects (see settings).

    So a redirect an editor made in Wagtail wins, our 301 is never stored as
    a page, and the only costs on a normal page are a status check (and for
    "/" a look at the query string's names).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # WordPress's plain links (/?p=12, /?cat=3) ask for the front page,
        # which exists (and may be in the page cache): answer them first.
        if request.path in _FRONT_PAGE_PATHS and request.GET and OLD_QUERY_NAMES.intersection(request.GET):
            target = resolve(request.path, request.GET, request)
            if target:
                return _redirect(target)
        response = self.get_response(request)
        if response.status_code == 404 or _is_slash_appended(request, response):
            if _may_be_old_address(request.path):
                target = resolve(request.path, request.GET, request)
                if target:
                    return _redirect(target)
        return response


def _is_slash_appended(request, response):
    """CommonMiddleware's "try with a slash" answer to a 404: answering the old address directly saves a hop."""
    if response.status_code != 301 or request.path.endswith("/"):
        return False
    return response.get("Location") == escape_leading_slashes(request.get_full_path(force_append_slash=True))


def _may_be_old_address(path):
    return not path.startswith(_OWN_PREFIXES) or path.startswith(_OLD_ADDRESSES_UNDER_OWN_PREFIXES)


def _redirect(target):
    redirect = HttpResponsePermanentRedirect(target)
    redirect["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return redirect
