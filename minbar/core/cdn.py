"""Telling a CDN in front of the site which cached pages to drop.

Minbar's own page cache is invalidated by dependency keys (page_cache.py).
A CDN keeps its own copies for up to `s-maxage`; when the site sits behind
one, set MINBAR_CDN_PURGE to the dotted path of a function

    def purge(keys: list[str], urls: list[str]) -> None

which the background worker calls after every change, with the dependency
keys that changed and the absolute URLs of the pages they name (for CDNs
that purge by URL rather than by key). With
MINBAR_SURROGATE_KEY_HEADER = "Surrogate-Key" (Fastly) or "Cache-Tag"
(Cloudflare), each cached page carries its keys in that header, so a purge
by key drops exactly the pages Minbar drops. docs/caching.md has examples.

Unset (the default), nothing is queued: no CDN, no cost.
"""

import logging

from django.conf import settings
from django_tasks import task
from django.utils.module_loading import import_string

logger = logging.getLogger("minbar.cdn")


def purge_later(keys):
    """Queue a purge of `keys` when a purge function is configured."""
    if not settings.MINBAR_CDN_PURGE:
        return
    try:
        purge_cdn.enqueue(sorted(keys))
    except Exception:
        # The queue lives in the database; a change is never refused because of it.
        logger.warning("could not queue a CDN purge of %s", list(keys)[:5], exc_info=True)


def urls_for(keys):
    """Absolute URLs of the pages named by `page:<id>` keys, in every interface language."""
    from . import page_cache

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    urls = []
    for key in keys:
        kind, _, pk = key.partition(":")
        if kind == "page" and pk.isdigit():
            urls += [base + path for path in page_cache.page_paths(int(pk))]
    return urls


@task()
def purge_cdn(keys):
    """Call the configured purge function (run by the background worker, with its retries)."""
    if not settings.MINBAR_CDN_PURGE:
        return
    purge = import_string(settings.MINBAR_CDN_PURGE)
    purge(list(keys), urls_for(keys))


def log_purge(keys, urls):
    """A purge function that only logs: to see what a CDN would be asked to drop."""
    logger.info("CDN purge: %d keys, %d URLs: %s", len(keys), len(urls), " ".join(keys[:20]))
