"""Remember old addresses (importers) and find where an old address goes now (the middleware)."""

from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve as resolve_path, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from . import keys as key_forms
from .models import LegacyAddress

KEY_LIMIT = LegacyAddress._meta.get_field("key").max_length
# PostgreSQL refuses a b-tree index entry over about 2,700 bytes: a key of
# 1,000 four-byte characters would fit the column but not the unique index.
KEY_BYTE_LIMIT = 2400
BATCH_SIZE = 500
# Where a feed address of the old site goes, by the Minbar page its thing now has.
_FEED_OF_VIEW = {"newsroom:author": "newsroom:author_feed_rss", "newsroom:series": "newsroom:series_feed_rss"}
# Keys whose target is a list of articles: page/N/ of the old archive keeps its N.
_LIST_KEYS = ("category:", "post_tag:", "author:", "term-id:", "author-id:")


@dataclass(frozen=True)
class LegacyEntry:
    """One old address (a key from keys.py) and its new home: a page (followed when it moves) or a site path."""

    key: str
    page_id: int | None = None
    url: str = ""


def fits(key) -> bool:
    return bool(key) and len(key) <= KEY_LIMIT and len(key.encode("utf-8", "surrogatepass")) <= KEY_BYTE_LIMIT


def is_site_path(url) -> bool:
    """Only paths of this site are targets: never another host, never a scheme (no open redirect)."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(ord(character) < 32 or character in "\\\x7f" for character in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def remember(source, entries):
    """Store, or point somewhere new, old addresses; returns how many were kept.

    One INSERT ... ON CONFLICT per 500 rows, so 100,000 addresses take
    seconds. A key seen twice keeps its last target; keys too long for the
    index and URL targets that are not paths of this site are left out.
    """
    latest = {}
    for entry in entries:
        if fits(entry.key) and (entry.page_id or is_site_path(entry.url)):
            latest[entry.key] = entry
    rows = [
        LegacyAddress(source=source, key=entry.key, page_id=entry.page_id or None,
                      target_url="" if entry.page_id else entry.url)
        for entry in latest.values()
    ]
    LegacyAddress.objects.bulk_create(
        rows,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["source", "page", "target_url"],
    )
    return len(rows)


def resolve(path, query, request=None):
    """Where the old address `path`?`query` lives now (a path of this site), or None.

    One query for all candidate keys; a page target costs what its URL costs
    (Wagtail caches the site roots). The first candidate found decides: if
    its page is not live, the answer is None (a 404), not some weaker match.
    """
    asked = key_forms.Request(path, query)
    # Old addresses had no language prefix: answer in the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        if asked.site_feed:
            return reverse("newsroom:feed_atom" if asked.site_feed == "atom" else "newsroom:feed_rss")
        if asked.front_page:
            return "/"
        candidates = [key for key in asked.keys if fits(key)]
        if not candidates:
            return None
        found = {row.key: row for row in LegacyAddress.objects.filter(key__in=candidates).select_related("page")}
        key = next((key for key in candidates if key in found), None)
        if key is None:
            return None
        return _target(found[key], key, asked, request)


def _target(row, key, asked, request):
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
        return _feed_of(page, target) or target
    if asked.page_number and asked.page_number > 1 and _is_list(page, key):
        return f"{target}?page={asked.page_number}"
    return target


def _is_list(page, key):
    from minbar.newsroom.models import SectionPage

    if page is not None:
        return issubclass(page.specific_class or type(page), SectionPage)
    return key.startswith(_LIST_KEYS)


def _feed_of(page, target):
    """The feed of a section, author or series when the old address asked for a feed; None when it has none."""
    from minbar.newsroom.models import SectionPage

    try:
        if page is not None:
            if issubclass(page.specific_class or type(page), SectionPage):
                return reverse("newsroom:section_feed_rss", kwargs={"slug": page.slug})
            return None
        match = resolve_path(unquote(target.split("?", 1)[0]))
        feed = _FEED_OF_VIEW.get(match.view_name)
        return reverse(feed, kwargs=match.kwargs) if feed else None
    except (NoReverseMatch, Resolver404):
        return None
