"""Template helpers of passage feedback: markers in the article body, links to a passage."""

from urllib.parse import quote

from django import template

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
