"""Remember old addresses (importers) and find where an old address goes now (the middleware)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from . import keys as key_forms
from .models import LegacyAddress

KEY_LIMIT = LegacyAddress._meta.get_field("key").max_length


@dataclass(frozen=True)
class LegacyEntry:
    key: str
    page_id: int | None = None
    url: str = ""


def is_site_path(url):
    """Only paths of this site are targets: never another host (no open redirect)."""
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url


def remember(source, entries):
    """Store (or re-point) old addresses; keys too long for the table are left out."""
    rows = [
        LegacyAddress(source=source, key=entry.key, page_id=entry.page_id, target_url=entry.url)
        for entry in entries
        if len(entry.key) <= KEY_LIMIT and (entry.page_id or is_site_path(entry.url))
    ]
    LegacyAddress.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["source", "page", "target_url"],
    )
    return len(rows)


def _feed_of(page, url):
    """The feed of a section, author or series an old feed address asked for; else the thing itself."""
    from minbar.newsroom.models import SectionPage

    try:
        if page is not None and isinstance(page.specific, SectionPage):
            return reverse("newsroom:section_feed_rss", kwargs={"slug": page.slug})
        for prefix, name in (("author", "newsroom:author_feed_rss"), ("series", "newsroom:series_feed_rss")):
            match = _reverse_slug(url, prefix)
            if match:
                return reverse(name, kwargs={"slug": match})
    except NoReverseMatch:
        pass
    return None


def _reverse_slug(url, prefix):
    pieces = [piece for piece in (url or "").split("/") if piece]
    return pieces[1] if len(pieces) == 2 and pieces[0] == prefix else None


def resolve(path, query, request=None):
    """Where the old address `path`?`query` lives now (a site path), or None."""
    asked = key_forms.Request(path, query)
    if asked.site_feed:
        return reverse("newsroom:feed_rss")
    candidates = [key for key in asked.keys if len(key) <= KEY_LIMIT]
    if not candidates:
        return None
    found = {row.key: row for row in LegacyAddress.objects.filter(key__in=candidates).select_related("page")}
    for key in candidates:
        row = found.get(key)
        if row is None:
            continue
        page = row.page
        if page is not None:
            if not page.live:
                return None
            target = page.get_url(request)
        else:
            target = row.target_url
        if not is_site_path(target or ""):
            return None
        if asked.feed:
            target = _feed_of(page, target) or target
        elif asked.page_number and asked.page_number > 1 and page is not None:
            target = f"{target}?page={asked.page_number}"
        return target
    return None
