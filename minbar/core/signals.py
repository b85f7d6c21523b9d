"""Keep readers' cached pages exactly as current as what they show.

Two halves (page_cache.py explains the keys):

- while a cacheable page renders, every page, author, series, tag and image
  loaded from the database is recorded as a dependency of that page
  (post_init: a template cannot show what was never loaded);
- when one of them changes, its key is bumped, and with it every cached page
  that showed it. Publishing or unpublishing an article also bumps the lists
  it enters or leaves (latest articles, its sections, authors, tags, series).

An approved comment, a vote or a rating bump the article's discussion key
(comments, ratings apps); a recomputed "read also" list bumps that article's
readalso key (related app); the search index bumps `search`.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_init, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache


# Recording ----------------------------------------------------------------


def _recorder(prefix):
    def record(sender, instance, **kwargs):
        if instance.pk is not None:
            page_cache.depends_on(f"{prefix}:{instance.pk}")

    return record


_record_page = _recorder("page")


def _record_discussion(sender, instance, **kwargs):
    # A comment, a passage question or a rating summary shown on a page: its article's discussion.
    article_id = instance.__dict__.get("article_id")
    if article_id is not None:
        page_cache.depends_on(page_cache.discussion_key(article_id))


def connect():
    """Connect the receivers (from CoreConfig.ready, once every app's models are known)."""
    from wagtail.images import get_image_model

    for model in [Page, *get_page_models()]:
        post_init.connect(_record_page, sender=model, dispatch_uid=f"page-cache-record-{model._meta.label}")
        post_delete.connect(_page_deleted, sender=model, dispatch_uid=f"page-cache-deleted-{model._meta.label}")
    recorded = {
        "author": apps.get_model("newsroom", "Author"),
        "series": apps.get_model("newsroom", "Series"),
        "tag": apps.get_model("taggit", "Tag"),
        "image": get_image_model(),
    }
    for prefix, model in recorded.items():
        post_init.connect(_recorder(prefix), sender=model, dispatch_uid=f"page-cache-record-{prefix}", weak=False)
        changed = _changed(prefix)
        post_save.connect(changed, sender=model, dispatch_uid=f"page-cache-saved-{prefix}", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"page-cache-deleted-{prefix}", weak=False)
    for label in ("comments.Comment", "passages.PassageQuestion", "ratings.RatingSummary"):
        post_init.connect(_record_discussion, sender=apps.get_model(label), dispatch_uid=f"page-cache-record-{label}")
    # An author's links are shown on the author's page with the author.
    post_save.connect(_author_link_changed, sender=apps.get_model("newsroom", "AuthorLink"), dispatch_uid="page-cache-author-link")
    post_delete.connect(_author_link_changed, sender=apps.get_model("newsroom", "AuthorLink"), dispatch_uid="page-cache-author-link-deleted")
    # Shown on every page, or deciding what every page holds.
    for model in (apps.get_model("core", "SiteSettings"), apps.get_model("moderation", "DiscussionSettings"), Site):
        post_save.connect(_site_changed, sender=model, dispatch_uid=f"page-cache-site-{model._meta.label}")
        post_delete.connect(_site_changed, sender=model, dispatch_uid=f"page-cache-site-deleted-{model._meta.label}")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="page-cache-restriction")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="page-cache-restriction-deleted")
    pre_delete.connect(_page_about_to_go, sender=Page, dispatch_uid="page-cache-page-pre-delete")
    page_published.connect(_page_published, dispatch_uid="page-cache-published")
    page_unpublished.connect(_page_unpublished, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="page-cache-moved")


# Invalidation ---------------------------------------------------------------


def _changed(prefix):
    def changed(sender, instance, raw=False, **kwargs):
        # Raw saves (fixtures, bulk importers) bump the site once themselves.
        if not raw and instance.pk is not None:
            page_cache.bump(f"{prefix}:{instance.pk}")

    return changed


def _author_link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        page_cache.bump(f"author:{instance.author_id}")


def _site_changed(sender, raw=False, **kwargs):
    if not raw:
        page_cache.bump_generation()


def _restriction_changed(sender, instance, raw=False, **kwargs):
    # A page made private (or public again) leaves (or enters) every list.
    if not raw:
        page_cache.bump(page_cache.page_key(instance.page_id), page_cache.LISTING, page_cache.SECTIONS_LISTING)


def memberships(page):
    """The list keys a live page belongs to: which lists show it."""
    from minbar.newsroom.models import ArticlePage, SectionPage

    page = page.specific
    if isinstance(page, SectionPage):
        return {page_cache.SECTIONS_LISTING}
    if not isinstance(page, ArticlePage):
        return {page_cache.PAGES_LISTING}
    keys = {page_cache.LISTING}
    # A section lists its sub-sections' articles too: every ancestor section.
    for ancestor_id in page.get_ancestors().type(SectionPage).values_list("pk", flat=True):
        keys.add(page_cache.listing_key("section", ancestor_id))
    for link in page.article_authors.all():
        keys.add(page_cache.listing_key("author", link.author_id))
    for tag in page.tags.all():
        keys.add(page_cache.listing_key("tag", tag.pk))
    if page.series_id:
        keys.add(page_cache.listing_key("series", page.series_id))
    # Lists are ordered by first publication: a new date moves the article in them.
    keys.add(f"date:{page.first_published_at.isoformat() if page.first_published_at else ''}")
    return keys


def _page_published(sender, instance, **kwargs):
    """Published or edited: pages showing it, and the lists it entered or left (or where it moved)."""
    now = memberships(instance)
    before = page_cache.previous_memberships(instance.pk)
    # Unknown before (never published here, or the cache lost it): every list it is in.
    changed = now if before is None else now ^ before
    page_cache.remember_memberships(instance.pk, now)
    keys = {key for key in changed if not key.startswith("date:")}
    if any(key.startswith("date:") for key in changed) and before is not None:
        keys |= {key for key in now | before if not key.startswith("date:")}
    page_cache.bump(page_cache.page_key(instance.pk), *keys)


def _page_unpublished(sender, instance, **kwargs):
    """Lists that showed it recorded its page key; those that did not (later pages) need the list keys."""
    before = page_cache.previous_memberships(instance.pk) or memberships(instance)
    page_cache.remember_memberships(instance.pk, set())
    page_cache.bump(page_cache.page_key(instance.pk), *(key for key in before if not key.startswith("date:")))


def _page_moved(sender, instance, **kwargs):
    # Its address changed: every page linking to it, and the lists of both places.
    before = page_cache.previous_memberships(instance.pk) or set()
    now = memberships(instance) if instance.live else set()
    page_cache.remember_memberships(instance.pk, now)
    page_cache.bump(page_cache.page_key(instance.pk), *(key for key in before | now if not key.startswith("date:")))


def _page_about_to_go(sender, instance, **kwargs):
    # Deleting a section deletes its articles without unpublishing them: each
    # live one leaves its lists (this runs for every page deleted).
    if instance.live:
        _page_unpublished(sender, instance.specific)


def _page_deleted(sender, instance, **kwargs):
    page_cache.bump(page_cache.page_key(instance.pk))
