"""Every reader page, cached or not, carries the security headers a careful site sends."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

READER_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
MINBAR = Path(__file__).resolve().parents[2] / "minbar"


def directives(header):
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def assert_security_headers(response, where):
    assert directives(response["Content-Security-Policy"]) == READER_POLICY, where
    assert "unsafe-inline" not in response["Content-Security-Policy"], where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in permissions, (where, feature)
    # Share links use the Web Share API and the clipboard: both must stay allowed.
    assert "web-share" not in permissions and "clipboard-write" not in permissions
    # HSTS belongs to production behind TLS only.
    assert "Strict-Transport-Security" not in response, where


@pytest.fixture
def article():
    return make_article(make_section(slug="opinion"))


def test_reader_pages_in_every_language_carry_the_headers(client, article):
    for url in ["/", "/en/", "/ckb/", article.url, "/en" + article.url, "/opinion/", "/search/?q=السوق", "/en/search/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)


def test_not_found_page_carries_the_headers(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response, "404")


def test_page_from_the_page_cache_carries_the_headers(client, article):
    first = client.get(article.url)
    second = client.get(article.url)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert_security_headers(second, "cache hit")
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_admin_has_its_own_policy_that_still_refuses_other_sites(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    # Wagtail's widgets write inline scripts; its previews are framed by the admin.
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]


def test_star_fill_is_a_class_the_stylesheet_defines_for_every_percent():
    rating = SimpleNamespace(count=3, average_text="3.7", fill_percent=73)
    html = render_to_string("ratings/summary.html", {"rating": rating}, request=RequestFactory().get("/en/"))
    assert 'class="stars-filled stars-fill-73"' in html
    assert "style=" not in html
    stylesheet = (MINBAR / "static/minbar/css/minbar.css").read_text()
    widths = dict(re.findall(r"\.stars-fill-(\d+)\{inline-size:(\d+)%\}", stylesheet))
    assert widths == {str(n): str(n) for n in range(101)}


def test_reader_templates_have_no_inline_script_style_or_event_handler():
    """A strict policy blocks them; JSON-LD blocks are data and allowed."""
    offending = []
    templates = [*MINBAR.glob("templates/**/*.html"), *MINBAR.glob("*/templates/**/*.html")]
    assert len(templates) > 20
    for path in templates:
        if "email" in path.parts or path.name.startswith("email"):
            continue  # e-mails are not web pages: mail programs need inline styles
        text = path.read_text()
        for pattern in (r"\sstyle=", r"<style", r"\son[a-z]+=", r"javascript:", r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)"):
            if re.search(pattern, text, re.IGNORECASE):
                offending.append(f"{path.relative_to(MINBAR)}: {pattern}")
    assert offending == []
