"""Request handling shared by every reader page: language from the URL, page cache."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

from . import page_cache


class LanguageFromPathMiddleware:
    """Activate the interface language named by the URL prefix (/ckb/, /en/), Arabic otherwise.

    Unlike Django's LocaleMiddleware this never looks at cookies or
    Accept-Language, and never redirects: one URL is one page in one
    language, which is what lets a page be cached for everybody.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # A worker thread goes on to serve other URLs: leave no language behind.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class AnonymousPageCacheMiddleware:
    """Serve readers' pages whole from the cache; store what is safe to share.

    A page is shared only when the request carries no session (editors are
    never served from or into the cache) and the response sets no cookie and
    does not vary on one. Anything published, edited or unpublished moves the
    cache to a new generation (see core/signals.py); an approved comment or a
    rating moves only that article's pages (page_cache.invalidate_article).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.is_cacheable_request(request):
            return self.get_response(request)
        key = page_cache.key_for(request)
        cached = page_cache.load(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if page_cache.is_shareable_response(response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.MINBAR_BROWSER_CACHE_SECONDS,
                s_maxage=settings.MINBAR_PAGE_CACHE_SECONDS,
                stale_while_revalidate=settings.MINBAR_PAGE_CACHE_SECONDS,
            )
            page_cache.store(key, response)
            response["X-Cache"] = "miss"
        return response
