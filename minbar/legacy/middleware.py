"""Answer old WordPress addresses with a permanent redirect, but only where Minbar itself has nothing (a 404)."""

from django.http import HttpResponsePermanentRedirect

from .services import resolve

# Minbar's own areas: a 404 there is Minbar's answer, not an old address.
_OWN_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/comments/", "/ratings/", "/subscriptions/",
                 "/passages/", "/search/", "/en/", "/ckb/")
_OLD_QUERY = {"p", "page_id", "attachment_id", "cat", "tag", "author", "feed"}
# Old addresses never move back: browsers and CDNs may keep the answer a day.
CACHE_SECONDS = 86400


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # WordPress's plain links (/?p=12, /?cat=3) ask the front page, which exists: answer them first.
        if request.method in ("GET", "HEAD") and request.path in ("/", "/index.php") and _OLD_QUERY & set(request.GET):
            target = resolve(request.path, request.GET, request)
            if target:
                return self._redirect(target)
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if request.path.startswith(_OWN_PREFIXES):
            return response
        target = resolve(request.path, request.GET, request)
        return self._redirect(target) if target else response

    @staticmethod
    def _redirect(target):
        redirect = HttpResponsePermanentRedirect(target)
        redirect["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return redirect
