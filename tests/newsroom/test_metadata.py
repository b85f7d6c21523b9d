"""What a page's <head> tells search engines, feed readers and link previews."""

import json

import lxml.html
import pytest

from minbar.core.models import SiteSettings
from tests.factories import make_article, make_author, make_image, make_section, make_series

pytestmark = pytest.mark.django_db

XSS = "</script><script>alert(1)</script>"


class Head:
    """The <head> of a reader page, read the way a crawler reads it."""

    def __init__(self, response):
        assert response.status_code == 200
        self.html = response.content.decode()
        self.tree = lxml.html.fromstring(response.content)
        self.head = self.tree.find("head")

    def link(self, rel, **attributes):
        condition = "".join(f"[@{name}='{value}']" for name, value in attributes.items())
        return self.head.xpath(f"link[@rel='{rel}']{condition}/@href")

    def meta(self, key):
        return self.head.xpath(f"meta[@property='{key}' or @name='{key}']/@content")

    def json_ld(self):
        return [json.loads(script.text) for script in self.head.xpath("script[@type='application/ld+json']")]

    def json_ld_of_type(self, kind):
        return next(data for data in self.json_ld() if data["@type"] == kind)


@pytest.fixture
def newsroom():
    section = make_section("مقالات رأي", slug="opinion")
    writer = make_author("دلشاد يوسف", slug="dilshad")
    party = make_author("نقابة المعلمين المحلية", slug="enks", kind="organization")
    series = make_series("المدينة بعد الحرب", slug="city-after-war")
    return {
        "section": section,
        "writer": writer,
        "party": party,
        "series": series,
        "opinion": make_article(
            section,
            title="المدينة بعد الحرب",
            authors=[writer],
            summary="ملخص المقال للمشاركة.",
            series=series,
            part_number=1,
            tags=["الحسكة", "مياه"],
            cover_image=make_image(),
            slug="city-part-1",
        ),
        "statement": make_article(section, title="تصريح صحفي", authors=[party], kind="news", slug="statement"),
    }


def test_article_has_canonical_and_alternates_in_every_language(client, newsroom):
    head = Head(client.get("/opinion/city-part-1/"))

    assert head.link("canonical") == ["http://testserver/opinion/city-part-1/"]
    assert head.link("alternate", hreflang="ar") == ["http://testserver/opinion/city-part-1/"]
    assert head.link("alternate", hreflang="ckb") == ["http://testserver/ckb/opinion/city-part-1/"]
    assert head.link("alternate", hreflang="en") == ["http://testserver/en/opinion/city-part-1/"]
    assert head.link("alternate", hreflang="x-default") == ["http://testserver/opinion/city-part-1/"]


def test_canonical_follows_the_interface_language_and_drops_query_junk(client, newsroom):
    head = Head(client.get("/en/opinion/city-part-1/?utm_source=whatsapp&page=1"))

    assert head.link("canonical") == ["http://testserver/en/opinion/city-part-1/"]
    assert head.meta("og:url") == ["http://testserver/en/opinion/city-part-1/"]
    assert head.meta("og:locale") == ["en_US"]
    assert sorted(head.meta("og:locale:alternate")) == ["ar_AR", "ckb_IQ"]
    assert head.link("alternate", hreflang="ar") == ["http://testserver/opinion/city-part-1/"]


def test_a_later_page_of_a_list_keeps_its_number(client, newsroom, settings):
    settings.MINBAR_ARTICLES_PER_PAGE = 1
    first = Head(client.get("/opinion/?page=1&fbclid=abc"))
    second = Head(client.get("/ckb/opinion/?page=2"))

    assert first.link("canonical") == ["http://testserver/opinion/"]
    assert second.link("canonical") == ["http://testserver/ckb/opinion/?page=2"]
    assert second.link("alternate", hreflang="en") == ["http://testserver/en/opinion/?page=2"]


def test_article_open_graph_and_twitter_card(client, newsroom):
    article = newsroom["opinion"]
    head = Head(client.get(article.url))
    title = f"المدينة بعد الحرب {article.part_label}"

    assert head.meta("og:type") == ["article"]
    assert head.meta("og:title") == [title]
    assert head.meta("og:description") == ["ملخص المقال للمشاركة."]
    assert head.meta("description") == ["ملخص المقال للمشاركة."]
    assert head.meta("og:site_name") == ["منبر"]
    assert head.meta("og:locale") == ["ar_AR"]
    [image] = head.meta("og:image")
    assert image.startswith("http://testserver/media/") and "fill-1200x630" in image
    assert head.meta("article:published_time")[0].startswith(str(article.first_published_at.date()))
    assert head.meta("article:modified_time")
    assert head.meta("article:author") == ["http://testserver/author/dilshad/"]
    assert head.meta("article:section") == ["مقالات رأي"]
    assert sorted(head.meta("article:tag")) == ["الحسكة", "مياه"]
    assert head.meta("twitter:card") == ["summary_large_image"]
    assert head.meta("twitter:image") == [image]


def test_article_without_summary_is_described_by_the_start_of_its_body(client, newsroom):
    head = Head(client.get(newsroom["statement"].url))

    [description] = head.meta("description")
    assert description.startswith("اعلن مجلس البلديةـ في مؤتمر صحفي")
    assert description.endswith("…")
    assert head.meta("og:image") == []
    assert head.meta("twitter:card") == ["summary"]


def test_opinion_article_json_ld(client, newsroom):
    article = newsroom["opinion"]
    head = Head(client.get(article.url))
    data = head.json_ld_of_type("OpinionNewsArticle")

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == f"المدينة بعد الحرب {article.part_label}"
    assert data["description"] == "ملخص المقال للمشاركة."
    assert data["inLanguage"] == "ar"
    assert data["datePublished"].startswith(str(article.first_published_at.date()))
    assert data["dateModified"]
    assert data["author"] == [{"@type": "Person", "name": "دلشاد يوسف", "url": "http://testserver/author/dilshad/"}]
    assert data["publisher"] == {"@type": "Organization", "name": "منبر"}
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": "http://testserver/opinion/city-part-1/"}
    assert data["image"] == head.meta("og:image")
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "المدينة بعد الحرب",
        "url": "http://testserver/series/city-after-war/",
    }
    assert data["keywords"] == ["الحسكة", "مياه"]


def test_news_article_by_an_organization_json_ld(client, newsroom):
    head = Head(client.get(newsroom["statement"].url))
    data = head.json_ld_of_type("NewsArticle")

    assert data["author"] == [
        {"@type": "Organization", "name": "نقابة المعلمين المحلية", "url": "http://testserver/author/enks/"}
    ]
    assert "isPartOf" not in data
    assert not [item for item in head.json_ld() if item["@type"] == "OpinionNewsArticle"]


def test_publisher_is_the_configured_publisher(client, newsroom):
    site = SiteSettings.load()
    site.publisher_name = "مؤسسة منبر للإعلام"
    site.save()

    data = Head(client.get(newsroom["statement"].url)).json_ld_of_type("NewsArticle")
    assert data["publisher"] == {"@type": "Organization", "name": "مؤسسة منبر للإعلام"}


def test_article_breadcrumbs(client, newsroom):
    crumbs = Head(client.get(newsroom["statement"].url)).json_ld_of_type("BreadcrumbList")["itemListElement"]

    assert [crumb["name"] for crumb in crumbs] == ["منبر", "مقالات رأي", "تصريح صحفي"]
    assert [crumb.get("item") for crumb in crumbs] == ["http://testserver/", "http://testserver/opinion/", None]


def test_title_cannot_break_out_of_json_ld(client, newsroom):
    article = make_article(newsroom["section"], title=f"عنوان {XSS}", summary=f"ملخص {XSS} & <b>", slug="xss")
    head = Head(client.get(article.url))

    assert "<script>alert(1)" not in head.html
    assert "alert(1)" not in "".join(script.text or "" for script in head.tree.xpath("//script[not(@type)]"))
    data = head.json_ld_of_type("OpinionNewsArticle")
    assert data["headline"] == f"عنوان {XSS}"
    assert data["description"] == f"ملخص {XSS} & <b>"
    assert head.meta("og:title") == [f"عنوان {XSS}"]


def test_every_page_links_to_the_site_feeds(client, newsroom):
    for url in ("/", "/en/", newsroom["statement"].url, "/tag/الحسكة/"):
        head = Head(client.get(url))
        prefix = "/en" if url.startswith("/en/") else ""
        assert head.link("alternate", type="application/rss+xml")[0] == f"http://testserver{prefix}/feed/rss/", url
        assert head.link("alternate", type="application/atom+xml")[0] == f"http://testserver{prefix}/feed/atom/", url


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/opinion/", "/section/opinion/feed/"),
        ("/author/dilshad/", "/author/dilshad/feed/"),
        ("/series/city-after-war/", "/series/city-after-war/feed/"),
        ("/en/author/enks/", "/en/author/enks/feed/"),
    ],
)
def test_section_author_and_series_pages_link_to_their_own_feeds(client, newsroom, url, feed):
    head = Head(client.get(url))

    assert f"http://testserver{feed}rss/" in head.link("alternate", type="application/rss+xml")
    assert f"http://testserver{feed}atom/" in head.link("alternate", type="application/atom+xml")
    assert client.get(f"{feed}rss/").status_code == 200


def test_home_page_is_a_website(client, newsroom):
    head = Head(client.get("/"))

    assert head.link("canonical") == ["http://testserver/"]
    assert head.meta("og:type") == ["website"]
    assert head.meta("og:title") == ["منبر"]
    website = head.json_ld_of_type("WebSite")
    assert website["url"] == "http://testserver/"
    assert website["name"] == "منبر"


def test_author_series_and_tag_pages_describe_themselves(client, newsroom):
    author = Head(client.get("/author/dilshad/"))
    assert author.link("canonical") == ["http://testserver/author/dilshad/"]
    assert author.meta("og:title") == ["دلشاد يوسف"]
    assert author.meta("description") == ["كاتب وباحث في الشأن الكردي."]

    series = Head(client.get("/en/series/city-after-war/"))
    assert series.link("canonical") == ["http://testserver/en/series/city-after-war/"]
    assert series.meta("og:title") == ["المدينة بعد الحرب"]

    tag = Head(client.get("/tag/الحسكة/"))
    assert tag.link("canonical") == ["http://testserver/tag/%D8%A7%D9%84%D8%AD%D8%B3%D9%83%D8%A9/"]
    assert "الحسكة" in tag.meta("description")[0]


def test_page_not_found_has_no_canonical(client, newsroom):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()


def test_article_whose_cover_file_is_lost_still_renders_without_a_preview_image(client, newsroom):
    image = newsroom["opinion"].cover_image
    image.file.storage.delete(image.file.name)

    head = Head(client.get(newsroom["opinion"].url))
    assert head.meta("og:image") == []
    assert "image" not in head.json_ld_of_type("OpinionNewsArticle")
