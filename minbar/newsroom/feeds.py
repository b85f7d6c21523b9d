"""RSS 2.0 and Atom feeds (to be completed)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from . import queries


class LatestArticlesRss(Feed):
    title = "Minbar"
    link = "/"
    description = ""

    def items(self):
        return queries.published_articles()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url


class LatestArticlesAtom(LatestArticlesRss):
    feed_type = Atom1Feed


SectionRss = SectionAtom = AuthorRss = AuthorAtom = SeriesRss = SeriesAtom = LatestArticlesRss
