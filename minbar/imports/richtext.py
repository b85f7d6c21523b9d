"""Article bodies from outside: plain text or HTML, turned into the rich text editors write.

Plain text: every line is a paragraph (empty lines are dropped), its text
HTML-escaped, so `<` and `&` in a sentence stay what they are.

HTML (a body containing a paragraph, line-break, heading, list, quote,
emphasis, link or table tag): reduced to what the article editor offers
(paragraphs, h2/h3, bold, italic, lists, quotes, rules, http(s) and mailto
links), then passed through Wagtail's own editor conversion, so that the
stored body is what the admin itself would save and opens in it unchanged.
Scripts and styles are dropped with their content, every other tag keeps
its text. Should the conversion fail on odd markup, the body's text is kept
as plain paragraphs instead.
"""

import html
import re

import nh3

from .items import clean_text

_LOOKS_LIKE_HTML = re.compile(
    r"</?(?:p|div|br|hr|h[1-6]|ul|ol|li|blockquote|strong|em|b|i|u|a|span|table|tr|td|th)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_ALLOWED_TAGS = {"p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote"}
_ALLOWED_TAGS |= {"b", "strong", "i", "em", "a"}
_DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object"}
_TOP_HEADING = re.compile(r"<(/?)h1>")
_LOW_HEADING = re.compile(r"<(/?)h[4-6]>")
_VOID = re.compile(r"<(br|hr)>")
_EMPTY_PARAGRAPH = re.compile(r"<p(?: data-block-key=\"[^\"]*\")?>\s*</p>")
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|tr)>|<br\s*/?>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def from_plain_text(text: str) -> str:
    lines = (line.strip() for line in clean_text(text).split("\n"))
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


def from_html(markup: str, features) -> str:
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    safe = nh3.clean(
        clean_text(markup),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    # The editor has h2 and h3 only; its HTML reader wants void tags closed.
    safe = _LOW_HEADING.sub(r"<\1h3>", _TOP_HEADING.sub(r"<\1h2>", safe))
    safe = _VOID.sub(r"<\1/>", safe)
    converter = ContentstateConverter(features)
    try:
        stored = converter.to_database_format(converter.from_database_format(safe))
    except Exception:  # Wagtail's reader asserts on markup it cannot pair; keep the words.
        return from_plain_text(html.unescape(nh3.clean(_BLOCK_END.sub("\n", safe), tags=set())))
    return _EMPTY_PARAGRAPH.sub("", stored)


def to_rich_text(body: str, features) -> str:
    """The stored body for `body`, plain text or HTML (see the module's docstring)."""
    return from_html(body, features) if looks_like_html(body) else from_plain_text(body)
