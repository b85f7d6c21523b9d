"""Template helpers of passage feedback: markers in the article body, links to a passage."""

from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

from ..richtext import render_markers
from ..services import questions_with_answer_counts

register = template.Library()

# A text fragment (https://wicg.github.io/scroll-to-text-fragment/) names a
# long passage by its first and last words: shorter links, and the browser
# still highlights the whole range.
FRAGMENT_EDGE_WORDS = 4


def _fragment_part(text):
    # "-", "," and "&" are the directive's own syntax: always percent-encoded.
    return quote(text, safe="")


@register.filter
def text_fragment(passage):
    """`#:~:text=…` for `passage`: the browser scrolls to it and highlights it, no script needed."""
    words = str(passage or "").split()
    if not words:
        return ""
    if len(words) <= FRAGMENT_EDGE_WORDS * 2:
        return "#:~:text=" + _fragment_part(" ".join(words))
    start = " ".join(words[:FRAGMENT_EDGE_WORDS])
    end = " ".join(words[-FRAGMENT_EDGE_WORDS:])
    return f"#:~:text={_fragment_part(start)},{_fragment_part(end)}"


@register.simple_tag(takes_context=True)
def body_with_passages(context, article):
    """The article body as `|richtext` renders it, each passage with a question followed by its marker.

    The same for every reader (the page is cached): the question, its number
    of approved answers and a link to answer. One query, only for a body that
    has marked passages.
    """
    rendered = str(richtext(article.body))
    tools = render_to_string("passages/tools.html", {}, context.get("request"))
    if "data-passage" not in rendered:
        return mark_safe(rendered + tools)
    questions = questions_with_answer_counts(article)
    request = context.get("request")

    def marker_for(key):
        question = questions.get(key)
        if question is None:
            return ""
        return render_to_string("passages/marker.html", {"question": question}, request).strip()

    return mark_safe(render_markers(rendered, marker_for) + tools)
