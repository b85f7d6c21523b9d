"""Reader pages that are not Wagtail pages: author, series, tag (search lives in minbar.search)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from taggit.models import Tag

from minbar.core import page_cache

from . import queries
from .models import Author, Series


def _paginate(request, articles):
    return Paginator(articles, settings.MINBAR_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo").prefetch_related("links"), slug=slug)
    page_cache.depends_on(page_cache.listing_key("author", author.pk))
    page_obj = _paginate(request, queries.articles_by_author(author))
    queries.attach_sections(page_obj.object_list)
    return TemplateResponse(request, "newsroom/author_page.html", {"author": author, "page_obj": page_obj})


def series_page(request, slug):
    series = get_object_or_404(Series, slug=slug)
    page_cache.depends_on(page_cache.listing_key("series", series.pk))
    parts = queries.attach_sections(queries.articles_in_series(series))
    return TemplateResponse(request, "newsroom/series_page.html", {"series": series, "parts": parts})


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page_cache.depends_on(page_cache.listing_key("tag", tag.pk))
    page_obj = _paginate(request, queries.articles_tagged(tag))
    queries.attach_sections(page_obj.object_list)
    return TemplateResponse(request, "newsroom/tag_page.html", {"tag": tag, "page_obj": page_obj})
