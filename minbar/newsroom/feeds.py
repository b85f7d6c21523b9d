"""RSS 2.0 and Atom feeds: the whole site, a section, an author, a series.

Titles and descriptions follow the interface language of the URL (/feed/rss/,
/en/feed/rss/); item links point at the article in that interface language.
The guid of an item never changes: it is a tag URI (RFC 4151) built from the
article's id, so a feed reader does not show an article twice when its slug
is edited or when the reader switches the feed's interface language.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from minbar.arabic import excerpt
from minbar.core import page_cache
from minbar.core.models import SiteSettings
from minbar.core.text import plain_text

from . import queries
from .models import RIGHT_TO_LEFT, Author, SectionPage, Series

FEED_LENGTH = 20
DESCRIPTION_WORDS = 60


@dataclass
class FeedSubject:
    """What a feed is about, with the request its hooks need for the site's name."""

    request: HttpRequest
    subject: object = None

    @property
    def site_name(self):
        return SiteSettings.load(request_or_site=self.request).site_name


def item_headline(article):
    """The title as readers see it: with the part marker of a series (… ج1)."""
    return f"{article.title} {article.part_label}" if article.part_number else article.title


def item_summary(article, words=DESCRIPTION_WORDS):
    return article.summary or excerpt(plain_text(article.body), words)


def byline(article):
    separator = "، " if article.language in RIGHT_TO_LEFT else ", "
    return separator.join(author.name for author in article.authors)


class LatestArticlesRss(Feed):
    """The site's newest articles."""

    language = settings.LANGUAGE_CODE

    def get_object(self, request, *args, **kwargs):
        return FeedSubject(request)

    def title(self, obj):
        return obj.site_name

    def link(self, obj):
        return reverse("wagtail_serve", args=[""])

    def description(self, obj):
        return _("Latest articles from %(site)s") % {"site": obj.site_name}

    def articles(self, obj):
        """The articles of this feed, newest first, before bylines and tags are prefetched."""
        page_cache.depends_on(page_cache.LISTING)
        return queries.published_articles()

    def items(self, obj):
        return queries.with_byline(self.articles(obj)).prefetch_related("tags")[:FEED_LENGTH]

    def item_title(self, item):
        return item_headline(item)

    def item_description(self, item):
        return item_summary(item)

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        _site_id, root_url, _path = item.get_url_parts()
        host = urlsplit(root_url).hostname or "localhost"
        return f"tag:{host},{item.first_published_at:%Y-%m-%d}:article:{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return byline(item) or None

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.updated_at or item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestArticlesAtom(LatestArticlesRss):
    feed_type = Atom1Feed
    subtitle = LatestArticlesRss.description


class SectionRss(LatestArticlesRss):
    """A section's newest articles."""

    def get_object(self, request, slug):
        section = SectionPage.objects.live().public().filter(slug=slug).order_by("path").first()
        if section is None:
            raise Http404(f"No section with the slug “{slug}”.")
        return FeedSubject(request, section)

    def title(self, obj):
        return f"{obj.subject.title} — {obj.site_name}"

    def link(self, obj):
        return obj.subject.url

    def description(self, obj):
        return _("Latest articles in %(section)s from %(site)s") % {
            "section": obj.subject.title,
            "site": obj.site_name,
        }

    def articles(self, obj):
        page_cache.depends_on(page_cache.listing_key("section", obj.subject.pk))
        # As the section's page: its sub-sections' articles too.
        return queries.published_articles().descendant_of(obj.subject)


class SectionAtom(SectionRss):
    feed_type = Atom1Feed
    subtitle = SectionRss.description


class AuthorRss(LatestArticlesRss):
    """An author's newest articles."""

    def get_object(self, request, slug):
        return FeedSubject(request, get_object_or_404(Author, slug=slug))

    def title(self, obj):
        return f"{obj.subject.name} — {obj.site_name}"

    def link(self, obj):
        return obj.subject.get_absolute_url()

    def description(self, obj):
        return _("Latest articles by %(author)s on %(site)s") % {"author": obj.subject.name, "site": obj.site_name}

    def articles(self, obj):
        page_cache.depends_on(page_cache.listing_key("author", obj.subject.pk))
        return queries.published_articles().filter(article_authors__author=obj.subject).distinct()


class AuthorAtom(AuthorRss):
    feed_type = Atom1Feed
    subtitle = AuthorRss.description


class SeriesRss(LatestArticlesRss):
    """The published parts of a series, newest first."""

    def get_object(self, request, slug):
        return FeedSubject(request, get_object_or_404(Series, slug=slug))

    def title(self, obj):
        return f"{obj.subject.title} — {obj.site_name}"

    def link(self, obj):
        return obj.subject.get_absolute_url()

    def description(self, obj):
        return _("Parts of the series %(series)s on %(site)s") % {"series": obj.subject.title, "site": obj.site_name}

    def articles(self, obj):
        page_cache.depends_on(page_cache.listing_key("series", obj.subject.pk))
        return queries.published_articles().filter(series=obj.subject)


class SeriesAtom(SeriesRss):
    feed_type = Atom1Feed
    subtitle = SeriesRss.description
