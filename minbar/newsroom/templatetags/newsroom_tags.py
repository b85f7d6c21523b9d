"""Template helpers for readers' pages: section navigation, list excerpts, share URLs."""

from django import template
from django.apps import apps
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr

from minbar.arabic import excerpt
from minbar.core import page_cache
from minbar.core.text import plain_text

register = template.Library()

LIST_EXCERPT_WORDS = 30


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context):
    """The sections of the paper as the header's navigation, in one query.

    Only the top-level sections (children of the home page) are listed; their
    sub-sections are reached from their pages. Ordering by path keeps the
    editors' order.
    """
    SectionPage = apps.get_model("newsroom", "SectionPage")
    page_cache.depends_on(page_cache.SECTIONS_LISTING)
    # Only the top-level ones are loaded: a page depends on what it loads
    # (page cache), and a sub-section renamed changes no navigation.
    live_parent_section = SectionPage.objects.live().filter(
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * SectionPage.steplen)
    )
    sections = list(
        SectionPage.objects.live()
        .exclude(Exists(live_parent_section))
        .order_by("path")
        .only("pk", "title", "slug", "url_path", "path", "depth")
    )
    current = context.get("section") or context.get("page")
    return {
        "request": context.get("request"),
        "sections": sections,
        "current_pk": getattr(current, "pk", None),
    }


@register.filter
def list_excerpt(article, words=LIST_EXCERPT_WORDS):
    """The summary, or the start of the body cut on a word boundary, for article lists."""
    if article.summary:
        return article.summary
    return excerpt(plain_text(article.body), int(words))


@register.simple_tag(takes_context=True)
def absolute_page_url(context, page):
    """The page's full address as this reader reached the site (for share links)."""
    request = context.get("request")
    if request is None:
        return page.full_url or ""
    return request.build_absolute_uri(page.get_url(request=request))



@register.filter
def full_title(article):
    """The title followed by its part marker (المدينة بعد الحرب ج1), for titles and share text."""
    label = getattr(article, "part_label", "")
    return f"{article.title} {label}" if label else article.title
