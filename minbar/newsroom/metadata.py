"""What a reader page tells search engines, feed readers and link previews.

`page_metadata(context)` reads the template context of a reader page (a
Wagtail `page`, or an `author`, `series` or `tag`) and returns the data that
includes/meta.html writes out: canonical address and its translations, the
description, feeds, Open Graph and Twitter tags, and schema.org JSON-LD.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError

from minbar.arabic import excerpt
from minbar.core.models import SiteSettings
from minbar.core.text import plain_text
from minbar.ratings.models import HIGHEST_SCORE, LOWEST_SCORE
from minbar.ratings.services import summary_for as rating_summary_for

from .feeds import item_headline
from .models import ArticleKind, ArticlePage, AuthorKind, HomePage, SectionPage

DESCRIPTION_WORDS = 30
SHARE_IMAGE_SPEC = "fill-1200x630"
PORTRAIT_SPEC = "fill-600x600"
OPEN_GRAPH_LOCALES = {"ar": "ar_AR", "ckb": "ckb_IQ", "en": "en_US"}
JSON_LD_TYPES = {
    ArticleKind.OPINION: "OpinionNewsArticle",
    ArticleKind.REPORT: "ReportageNewsArticle",
}


@dataclass
class PageMetadata:
    title: str = ""
    description: str = ""
    canonical: str = ""
    alternates: list = field(default_factory=list)  # [(hreflang, absolute URL)]
    feeds: list = field(default_factory=list)  # [(MIME type, title, absolute URL)]
    og_type: str = "website"
    og_locale: str = ""
    og_locale_alternates: list = field(default_factory=list)
    site_name: str = ""
    image: object = None  # {"url", "width", "height", "alt"}
    article: dict = field(default_factory=dict)  # article:* Open Graph properties
    json_ld: list = field(default_factory=list)

    @property
    def twitter_card(self):
        return "summary_large_image" if self.image and self.og_type == "article" else "summary"


def _describe(text, words=DESCRIPTION_WORDS):
    return excerpt(plain_text(text), words) if text else ""


def _absolute(request, path):
    return request.build_absolute_uri(path)


def _page_number(context):
    page_obj = context.get("page_obj")
    number = getattr(page_obj, "number", 1)
    return number if number and number > 1 else None


def _image(request, image, spec):
    if image is None:
        return None
    try:
        rendition = image.get_rendition(spec)
    except SourceImageIOError:
        # A lost original file must not take the page down; it just has no preview image.
        return None
    return {
        "url": _absolute(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
    }


def _subject(context):
    """The thing the page is about and a function giving its path in the active language."""
    request = context["request"]
    page = context.get("page")
    if page is not None and isinstance(page, (HomePage, SectionPage, ArticlePage)):
        return page, lambda: page.get_url(request=request)
    for name in ("author", "series"):
        obj = context.get(name)
        if obj is not None:
            return obj, obj.get_absolute_url
    tag = context.get("tag")
    if tag is not None:
        return tag, lambda: reverse("newsroom:tag", kwargs={"slug": tag.slug})
    return None, None


def page_metadata(context):
    request = context["request"]
    language = translation.get_language() or settings.LANGUAGE_CODE
    site = SiteSettings.load(request_or_site=request)
    meta = PageMetadata(
        site_name=site.site_name,
        og_locale=OPEN_GRAPH_LOCALES.get(language, language),
        og_locale_alternates=[locale for code, locale in OPEN_GRAPH_LOCALES.items() if code != language],
    )
    meta.feeds = _feeds(request, site.site_name)

    subject, path_of = _subject(context)
    if subject is None:
        meta.title = site.site_name
        meta.description = site.tagline
        return meta

    # The canonical address drops tracking and other query junk; only a later
    # page of a list keeps its number (?page=2), since it shows other articles.
    # A page previewed before its first save has no address yet, hence no canonical.
    number = _page_number(context)
    query = f"?page={number}" if number else ""
    if path_of():
        meta.canonical = _absolute(request, path_of() + query)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                meta.alternates.append((code, _absolute(request, path_of() + query)))
        with translation.override(settings.LANGUAGE_CODE):
            meta.alternates.append(("x-default", _absolute(request, path_of() + query)))

    if isinstance(subject, ArticlePage):
        _describe_article(meta, context, subject, site)
    elif isinstance(subject, SectionPage):
        meta.title = subject.title
        meta.description = subject.search_description or _describe(subject.description) or site.tagline
        meta.feeds += _subject_feeds(request, "section", subject.slug, subject.title)
    elif isinstance(subject, HomePage):
        meta.title = site.site_name
        meta.description = subject.search_description or site.tagline
        meta.json_ld.append(
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": site.site_name,
                "url": meta.canonical,
                "inLanguage": language,
                "publisher": _publisher(site),
            }
        )
    elif context.get("author") is subject:
        meta.title = subject.name
        meta.description = _describe(subject.bio)
        meta.image = _image(request, subject.photo, PORTRAIT_SPEC)
        meta.feeds += _subject_feeds(request, "author", subject.slug, subject.name)
    elif context.get("series") is subject:
        meta.title = subject.title
        meta.description = _describe(subject.description)
        meta.feeds += _subject_feeds(request, "series", subject.slug, subject.title)
    else:
        meta.title = subject.name
        meta.description = _("Articles tagged “%(tag)s” on %(site)s") % {"tag": subject.name, "site": site.site_name}
    return meta


def _feed_links(request, name, rss_path, atom_path):
    return [
        ("application/rss+xml", _("%(name)s (RSS)") % {"name": name}, _absolute(request, rss_path)),
        ("application/atom+xml", _("%(name)s (Atom)") % {"name": name}, _absolute(request, atom_path)),
    ]


def _feeds(request, site_name):
    return _feed_links(request, site_name, reverse("newsroom:feed_rss"), reverse("newsroom:feed_atom"))


def _subject_feeds(request, kind, slug, name):
    return _feed_links(
        request,
        name,
        reverse(f"newsroom:{kind}_feed_rss", kwargs={"slug": slug}),
        reverse(f"newsroom:{kind}_feed_atom", kwargs={"slug": slug}),
    )


def _publisher(site):
    return {"@type": "Organization", "name": site.publisher_name or site.site_name}


def _person_or_organization(request, author):
    return {
        "@type": "Organization" if author.kind == AuthorKind.ORGANIZATION else "Person",
        "name": author.name,
        "url": _absolute(request, author.get_absolute_url()),
    }


def _describe_article(meta, context, article, site):
    request = context["request"]
    section = context.get("section")
    tags = context.get("article_tags")
    if tags is None:
        tags = list(article.tags.all())
    published = article.first_published_at
    modified = article.updated_at or article.last_published_at or published

    meta.og_type = "article"
    meta.title = item_headline(article)
    meta.description = article.search_description or article.summary or _describe(article.body)
    meta.image = _image(request, article.cover_image, SHARE_IMAGE_SPEC)
    meta.article = {
        "published_time": published.isoformat() if published else "",
        "modified_time": modified.isoformat() if modified else "",
        "authors": [_absolute(request, author.get_absolute_url()) for author in article.authors],
        "section": section.title if section else "",
        "tags": [tag.name for tag in tags],
    }

    data = {
        "@context": "https://schema.org",
        "@type": JSON_LD_TYPES.get(article.kind, "NewsArticle"),
        "headline": meta.title,
        "description": meta.description,
        "url": meta.canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta.canonical},
        "inLanguage": article.language,
        "datePublished": published,
        "dateModified": modified,
        "author": [_person_or_organization(request, author) for author in article.authors],
        "publisher": _publisher(site),
    }
    if meta.image:
        data["image"] = [meta.image["url"]]
    if section:
        data["articleSection"] = section.title
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if article.series_id:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": article.series.title,
            "url": _absolute(request, article.series.get_absolute_url()),
        }
        data["position"] = article.part_number
    rating = rating_summary_for(article)
    if rating.count:
        # Only once readers have rated: an AggregateRating of zero votes is invalid for search engines.
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": float(rating.average),
            "ratingCount": rating.count,
            "bestRating": HIGHEST_SCORE,
            "worstRating": LOWEST_SCORE,
        }
    meta.json_ld.append(data)

    crumbs = [(site.site_name, reverse("wagtail_serve", args=[""]))]
    if section:
        crumbs.append((section.title, section.get_url(request=request)))
    crumbs.append((meta.title, None))
    meta.json_ld.append(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": _absolute(request, path)}
                if path
                else {"@type": "ListItem", "position": position, "name": name}
                for position, (name, path) in enumerate(crumbs, start=1)
            ],
        }
    )
