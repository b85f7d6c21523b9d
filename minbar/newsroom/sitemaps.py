"""Sitemaps: an index of one sitemap per kind of page, and a Google News sitemap.

Every URL is listed in each interface language (ar, ckb, en) with its
alternates and an x-default, as search engines ask of multilingual sites
(https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap).
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from . import queries
from .models import ArticleAuthor, Author, HomePage, SectionPage, Series

# Google News lists articles published in the last two days, at most 1000.
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


class MultilingualSitemap(Sitemap):
    # Each URL is written with four alternates, and Arabic slugs triple in
    # length once percent-encoded: 5000 entries keep a file far below the
    # protocol's 50 MB cap, which 50000 would not.
    limit = 5000
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(MultilingualSitemap):
    """The front page."""

    def items(self):
        return HomePage.objects.live().public().order_by("path")

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.last_published_at


class SectionSitemap(MultilingualSitemap):
    def items(self):
        return SectionPage.objects.live().public().order_by("path")

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.last_published_at


class ArticleSitemap(MultilingualSitemap):
    def items(self):
        return queries.published_articles().order_by("path")

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.updated_at or item.last_published_at


def _published_links():
    return ArticleAuthor.objects.filter(article__in=queries.published_articles().values("pk"))


class AuthorSitemap(MultilingualSitemap):
    """Authors with at least one published article; lastmod is their newest article's."""

    def items(self):
        latest = dict(
            _published_links().values_list("author").annotate(latest=Max("article__last_published_at")).order_by()
        )
        authors = list(Author.objects.filter(pk__in=latest).order_by("pk"))
        for author in authors:
            author.latest_article_at = latest[author.pk]
        return authors

    def lastmod(self, item):
        return item.latest_article_at


class SeriesSitemap(MultilingualSitemap):
    """Series with at least one published part."""

    def items(self):
        return (
            Series.objects.filter(articles__in=queries.published_articles().values("pk"))
            .annotate(latest_article_at=Max("articles__last_published_at"))
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.latest_article_at


class TagSitemap(MultilingualSitemap):
    """Tags on at least one published article."""

    def items(self):
        return (
            Tag.objects.filter(newsroom_articletag_items__content_object__in=queries.published_articles().values("pk"))
            .distinct()
            .order_by("pk")
        )

    def location(self, item):
        return reverse("newsroom:tag", kwargs={"slug": item.slug})


SITEMAPS = {
    "pages": PageSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "authors": AuthorSitemap,
    "series": SeriesSitemap,
    "tags": TagSitemap,
}


class NewsSitemap(Sitemap):
    """Articles first published in the last two days, in Google News format.

    One URL per article, in the default interface language; the template adds
    the news:news element (publication, date, title) for each.
    """

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return queries.published_articles().filter(first_published_at__gte=since)[:NEWS_LIMIT]

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.updated_at or item.last_published_at


def news_sitemap(request):
    return sitemap(request, {"news": NewsSitemap}, template_name="sitemaps/news_sitemap.xml")
