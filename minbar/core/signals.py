"""Invalidate readers' cached pages whenever what they show may have changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import page_cache


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, **kwargs):
    page_cache.bump_generation()


def _is_reader_visible(sender):
    return sender._meta.app_label in {"newsroom", "core", "wagtailcore", "wagtailimages", "taggit"}


@receiver(post_save)
@receiver(post_delete)
def _content_changed(sender, raw=False, **kwargs):
    # Raw saves (fixtures, bulk importers) bump the generation once themselves.
    if raw:
        return
    # Authors, series, settings and images are shown on many pages and carry
    # no publish step of their own. A rendition is made the first time a page
    # shows an image at a size, while that page renders: it changes nothing a
    # reader sees, and must not drop every other page from the cache.
    if _is_reader_visible(sender) and sender.__name__ not in {"PageLogEntry", "Revision", "PageViewRestriction", "Rendition"}:
        page_cache.bump_generation()
