"""Template helpers for readers' pages: section navigation, list excerpts, share URLs."""

from django import template
from django.apps import apps

from minbar.arabic import excerpt
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
    every = list(SectionPage.objects.live().order_by("path").only("pk", "title", "slug", "url_path", "path", "depth"))
    paths = {section.path for section in every}
    sections = [section for section in every if section.path[: -section.steplen] not in paths]
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
