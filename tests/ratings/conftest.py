import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from tests.factories import make_article, make_section

SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def article():
    return make_article(make_section(), title="السوق القديم يعود إلى الحياة")


def rate(client, article_or_id, score, *, language="", json=False, ip="203.0.113.7", **extra):
    """Send the rating form as a reader's browser does (same origin), optionally as the script does."""
    article_id = getattr(article_or_id, "pk", article_or_id)
    headers = {**SAME_SITE, "REMOTE_ADDR": ip, **extra}
    if json:
        headers["HTTP_ACCEPT"] = "application/json"
    prefix = f"/{language}" if language else ""
    return client.post(f"{prefix}/ratings/{article_id}/", {"score": score}, **headers)


@pytest.fixture
def new_reader():
    """A browser without the reader cookie: a reader the site has not met."""
    return lambda: Client()


def arabic(message):
    """`message` as the Arabic interface shows it (HTML-escaped, as in a page)."""
    with translation.override("ar"):
        return escape(translation.gettext(message))


def rating_box(html):
    """The rating section of a page."""
    found = re.search(r'<section class="rating".*?</section>', html, re.S)
    assert found, "the page has no rating section"
    return found.group(0)
