"""robots.txt: what crawlers may visit and where the sitemaps are."""

import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt_points_at_both_sitemaps(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines


def test_robots_txt_keeps_crawlers_out_of_admin_and_search(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    for path in ("/admin/", "/search/", "/ckb/search/", "/en/search/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines


def test_sitemaps_named_in_robots_txt_answer(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    for line in lines:
        if line.startswith("Sitemap: "):
            assert client.get(line.removeprefix("Sitemap: ")).status_code == 200, line


def test_robots_txt_sets_no_cookie_and_refuses_post(client):
    assert not client.get("/robots.txt").cookies
    assert client.post("/robots.txt").status_code == 405
