"""The comment section on the article page, and how a comment's plain text becomes HTML."""

import re
from urllib.parse import urlencode, urlsplit

from django import template
from django.template.loader import get_template
from django.template import TemplateDoesNotExist
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from minbar.moderation.models import DiscussionSettings

from .. import services, threads

register = template.Library()

# A URL ends before white space, quotes or angle brackets; trailing punctuation
# (Latin and Arabic: ، ؛ ؟) belongs to the sentence, not to the address.
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}،؛؟…»"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
MAX_LINK_TEXT = 60


def _link(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return escape(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return escape(url)
    text = url if len(url) <= MAX_LINK_TEXT else url[: MAX_LINK_TEXT - 1] + "…"
    return format_html('<a href="{}" rel="nofollow ugc noopener" dir="ltr">{}</a>', url, text)


def _linkify(text):
    """Escape `text`, turning http(s) addresses into links: each piece is escaped on its own."""
    pieces, position = [], 0
    for match in _URL.finditer(text):
        url = match.group(0)
        stripped = url.rstrip(_TRAILING)
        # Keep a closing parenthesis that closes one opened inside the address (Wikipedia links).
        while stripped.count("(") > stripped.count(")") and len(stripped) < len(url) and url[len(stripped)] == ")":
            stripped += ")"
        pieces.append(escape(text[position : match.start()]))
        pieces.append(_link(stripped))
        position = match.start() + len(stripped)
    pieces.append(escape(text[position:]))
    return "".join(pieces)


@register.filter
def web_address(url):
    """`url` when it is an http(s) address, else "": a stored address is never trusted to be one."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


@register.filter
def comment_body(text):
    """Plain text as paragraphs: blank lines part them, single line breaks stay; nothing the reader typed is HTML."""
    paragraphs = [paragraph.strip("\n") for paragraph in _PARAGRAPH_BREAK.split(text or "") if paragraph.strip()]
    html = "".join("<p>" + _linkify(paragraph).replace("\n", "<br>") + "</p>" for paragraph in paragraphs)
    return mark_safe(html)  # every piece of reader text above went through escape()


def _link_to(path, **params):
    """A link to this page with `params` (relative, "?order=newest"); the bare path when none is left."""
    query = urlencode({key: value for key, value in params.items() if value})
    return f"?{query}" if query else path


@register.simple_tag(takes_context=True)
def comment_section(context):
    """Everything the comment section shows, the same for every reader (the page is cached)."""
    request = context.get("request")
    article = context["page"]
    settings = DiscussionSettings.load(request_or_site=request)
    query = request.GET if request is not None else {}
    order = threads.order_from(query.get("order", ""))
    only_passages = query.get("filter") == threads.FILTER_PASSAGES
    show_all = query.get("all") == "1"
    section = threads.build_section(
        article, order=order, show_all=show_all, only_passages=only_passages, shown=settings.comments_shown
    )
    # Back from posting, voting or editing (?comment=<id>): that comment is shown even past the first threads.
    focus = query.get("comment", "")
    if section.hidden_threads and focus.isdigit() and all(comment.pk != int(focus) for comment in section.comments):
        show_all = True
        section = threads.build_section(
            article, order=order, show_all=True, only_passages=only_passages, shown=settings.comments_shown
        )
    mark_attachment = services._optional("minbar.passages.services", "mark_attachment")
    if mark_attachment is not None and section.comments:
        mark_attachment(article, section.comments)
    path = request.path if request is not None else article.url
    passages_filter = threads.FILTER_PASSAGES if only_passages else ""
    order_param = "" if order == threads.DEFAULT_ORDER else order
    section.order_links = [
        (name, _link_to(path, order=name, filter=passages_filter, all="1" if show_all else ""))
        for name in threads.ORDERS
    ]
    section.filter_link = _link_to(path, order=order_param, filter="" if only_passages else threads.FILTER_PASSAGES)
    section.all_link = _link_to(path, order=order_param, filter=passages_filter, all="1")
    section.is_closed = services.is_closed(article, settings)
    section.settings = settings
    return section


@register.simple_tag(takes_context=True)
def signed_in_commenter(context):
    """Who comments when the form is sent: a signed-in user (never on the shared cached page), else None."""
    return services.signed_in_user(context.get("request"))


@register.simple_tag(takes_context=True)
def passage_quote(context, comment):
    """The passage a comment is about: the passages app's template when it has one."""
    if not (comment.quote or comment.question_id):
        return ""
    try:
        passage_template = get_template("passages/comment_quote.html")
    except TemplateDoesNotExist:
        passage_template = get_template("comments/quote.html")
    return passage_template.render({"comment": comment}, context.get("request"))
