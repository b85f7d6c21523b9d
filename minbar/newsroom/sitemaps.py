"""Sitemaps (to be completed)."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse

from . import queries


class ArticleSitemap(Sitemap):
    def items(self):
        return queries.published_articles()

    def location(self, item):
        return item.url


SITEMAPS = {"articles": ArticleSitemap}


def news_sitemap(request):
    return HttpResponse("", content_type="application/xml")
