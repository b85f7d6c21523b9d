"""The search page and its JSON twin for the site's own scripts."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse

from minbar.core import page_cache
from minbar.newsroom.models import SectionPage

from . import services
from .forms import SearchForm
from .query import clean_text

# Page numbers past this are not a reader paging through results.
MAX_PAGE = 1000
# What a reader typed comes back in the JSON: with <, > and & as \u escapes
# (the same JSON once parsed), it can never be read as HTML, wherever it lands.
_JSON_HTML_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _page_number(request):
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _query_string(form, names):
    """The form's own fields as a query string (never anything else the URL carried)."""
    return urlencode([(name, form.data[name]) for name in names if form.data.get(name)])


def _search(request):
    """The form and, when it holds a valid search, its results (else None)."""
    form = SearchForm(request.GET)
    if not form.is_valid() or not form.cleaned_data["q"]:
        return form, None
    return form, services.search(form.cleaned_data["q"], **form.filters(), page=_page_number(request))


def search_page(request):
    # What the index answers, and the sections offered as filters.
    page_cache.depends_on(page_cache.SEARCH, page_cache.SECTIONS_LISTING)
    form, results = _search(request)
    context = {
        "form": form,
        "results": results,
        # The header's search box shows what was typed, cleaned of control characters.
        "query": clean_text(request.GET.get("q", "")),
        "query_string": _query_string(form, ["q", *SearchForm.FILTERS]),
        "unfiltered_query_string": _query_string(form, ["q"]),
        "all_sections": SectionPage.objects.live().public().order_by("path"),
        "max_query_length": settings.MINBAR_SEARCH_MAX_QUERY_LENGTH,
    }
    return TemplateResponse(request, "search/search_page.html", context)


def _result_json(request, article):
    return {
        "title": article.title,
        "title_html": str(article.highlighted_title),
        "url": article.get_url(request=request),
        "section": article.section.title if article.section else None,
        "authors": [author.name for author in article.authors],
        "date": article.first_published_at.isoformat() if article.first_published_at else None,
        "language": article.language,
        "snippet_html": str(article.highlighted_snippet),
    }


def search_results_json(request):
    """The same search as the page, as JSON: {query, total, page, num_pages, results, error}."""
    page_cache.depends_on(page_cache.SEARCH)
    form, results = _search(request)
    if results is None:
        if form.is_valid():  # valid filters but no words: let the query language say why
            results = services.search(form.cleaned_data["q"])
        else:
            message = next(iter(form.errors.values()))[0]
            results = services.SearchResults(query=clean_text(request.GET.get("q", "")), error=message)
    payload = {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "num_pages": results.num_pages,
        "results": [_result_json(request, article) for article in results.articles],
        "error": str(results.error) if results.error else None,
    }
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False).translate(_JSON_HTML_ESCAPES),
        status=400 if results.error else 200,
        content_type="application/json",
    )
