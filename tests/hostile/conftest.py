"""Shared pieces of the hostile-input suite: payloads, a reader posting through the real views, and
an HTML check that tells escaped text from live markup."""

import json
import secrets
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core import mail as django_mail
from django.utils import translation
from django.utils.html import escape

from minbar.comments.models import Comment, CommentStatus
from minbar.moderation.forms import form_timestamp
from minbar.moderation.models import DiscussionSettings
from tests.factories import make_article, make_section

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}

# Every payload carries MARK, so that anything live built from reader input can be found in a page.
MARK = "7331"
XSS = [
    "<script>alert(7331)</script>",
    "<img src=x onerror=alert(7331)>",
    "javascript:alert(7331)",
    '"><svg onload=alert(7331)>',
    "' onmouseover='alert(7331)' data-x='",
    '" autofocus onfocus="alert(7331)',
    "data:text/html,<script>alert(7331)</script>",
    "\\u003cscript\\u003ealert(7331)\\u003c/script\\u003e",
    "<scr<script>ipt>alert(7331)</scr</script>ipt>",
    "</textarea><script>alert(7331)</script>",
    '<div style="width:expression(alert(7331))">x</div>',
    '<a href="javascript:alert(7331)">اضغط</a>',
    "<iframe srcdoc='<script>alert(7331)</script>'></iframe>",
    "&#60;script&#62;alert(7331)&#60;/script&#62;",
    "<math><mtext></p><script>alert(7331)</script>",
    "<!--<img src=--><img src=x onerror=alert(7331)//>",
]
# Website fields: these look enough like addresses to be tried; none may become a live non-http link.
HOSTILE_URLS = [
    "javascript:alert(7331)",
    "JaVaScRiPt:alert(7331)",
    " javascript:alert(7331)",
    "data:text/html,<script>alert(7331)</script>",
    "vbscript:msgbox(7331)",
    'https://example.org/"><script>alert(7331)</script>',
    "https://example.org/' onmouseover='alert(7331)",
    "//evil.example/7331",
    "java\tscript:alert(7331)",
    "https://example.org/\r\nSet-Cookie:7331",
]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e", "\u061c", "\u200b", "\ufeff"]
SQL = ["' OR 1=1 --", "'; DROP TABLE comments_comment; --", "100% _مؤكد_", "C:\\\\new\\table \\' \\\"", '" OR ""="']

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster", "background"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs dict, text inside script/style)
        self._raw = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), []))
        self._raw = self.elements[-1][2] if tag in ("script", "style") else None

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self._raw.append(data)


def elements(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def live_markup(html, mark=MARK):
    """What in `html` is live markup made from reader input carrying `mark`; [] when it is all inert."""
    found = []
    for tag, attrs, raw in elements(html):
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")  # the site writes no inline handlers at all
            elif mark in value and name in URL_ATTRIBUTES | {"style"}:
                # A relative address (this site's own links, e.g. a search for the payload) is no code;
                # any other scheme than http(s) could be.
                scheme = urlsplit(value.strip()).scheme.lower()
                if name in ("style", "srcdoc") or scheme not in ("", "http", "https"):
                    found.append(f"<{tag} {name}={value!r}>")
            elif mark in name:
                found.append(f"<{tag} {name}>")
        text = "".join(raw)
        if tag == "script" and mark in text:
            if attrs.get("type") == "application/ld+json":
                json.loads(text)  # data, not code, as long as it still parses
            else:
                found.append(f"<script>{text}")
        if tag == "style" and mark in text:
            found.append(f"<style>{text}")
    return found


def assert_inert(html, payload=None):
    assert live_markup(html) == []
    if payload is not None and "<" in payload:
        # The reader's text is there, escaped.
        assert escape(payload) in html or escape(payload).replace("&#x27;", "&#39;") in html or MARK not in payload


def comment_links_are_safe(html):
    """Every link a reader wrote (in comment bodies and names) is http(s) and nofollow ugc noopener."""
    for tag, attrs, _raw in elements(html):
        if tag == "a" and "ugc" in (attrs.get("rel") or "") or tag == "a" and MARK in (attrs.get("href") or ""):
            assert urlsplit(attrs["href"]).scheme in ("http", "https"), attrs
            assert attrs.get("rel") == "nofollow ugc noopener", attrs


def translated(message, language="ar", context=None):
    with translation.override(language):
        text = translation.pgettext(context, message) if context else translation.gettext(message)
    return text


def shown(message, language="ar", context=None, **values):
    """`message` as a page in `language` shows it (translated and HTML-escaped)."""
    text = translated(message, language, context)
    return escape(text % values if values else text)


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    # Rate-limit counters are keyed by hashes made with this key: a new key per test gives every
    # test fresh windows (and the PostgreSQL run's shared Redis no leftovers).
    settings.MINBAR_READER_HASH_KEY = secrets.token_hex(16)
    settings.MINBAR_PAGE_CACHE_SECONDS = 0
    django_mail.outbox = []


@pytest.fixture
def discussion(db):
    discussion = DiscussionSettings.load()
    discussion.moderation = "none"
    discussion.save()
    return discussion


@pytest.fixture
def article(db, discussion):
    return make_article(make_section(), title="البلدية تؤجل مشروع الجسر")


def comment_form(**fields):
    data = {
        "text": "تعليق عادي على خبر الجسر.",
        "author_name": "رنا",
        "author_email": "rana@example.org",
        "started": form_timestamp(time.time() - 10),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post_comment(client, article, *, as_json=False, language="", headers=None, **fields):
    prefix = f"/{language}" if language else ""
    extra = {**(JSON if as_json else SAME_ORIGIN), **(headers or {})}
    return client.post(f"{prefix}/comments/article/{article.pk}/", comment_form(**fields), **extra)


def article_page(client, article, language=""):
    prefix = f"/{language}" if language else ""
    response = client.get(prefix + article.url)
    assert response.status_code == 200
    return response.content.decode()


def stored(**fields):
    values = {"author_name": "قارئ سابق", "author_email": "earlier@example.org", "body": "تعليق سابق محفوظ", "depth": 1}
    values.update(fields)
    values.setdefault("status", CommentStatus.APPROVED)
    return Comment.objects.create(**values)


def snapshot():
    """Everything the discussion has saved, to compare before and after a refused post."""
    from minbar.comments.models import CommentVote
    from minbar.ratings.models import Rating

    return (
        sorted(Comment.objects.values_list("pk", "body", "author_name", "status", "upvotes", "downvotes")),
        sorted(CommentVote.objects.values_list("pk", "value")),
        sorted(Rating.objects.values_list("pk", "score")),
    )
