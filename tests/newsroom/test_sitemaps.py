"""Sitemap index, the sitemap of each kind of page, and the Google News sitemap."""

import datetime
from pathlib import Path

import pytest
from django.utils.dateparse import parse_datetime
from lxml import etree

from tests.factories import days_ago, make_article, make_author, make_section, make_series

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "feeds" / "schemas"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP_NS, "xhtml": XHTML_NS, "news": NEWS_NS}

# sitemap.xsd admits elements of other namespaces inside <url> with
# processContents="strict": a validator must know a declaration for each such
# element or reject it. Stripping xhtml:link and news:* before validating would
# hide mistakes in them, so instead the sitemap schema is validated together
# with declarations of the two extensions Minbar uses, written here from their
# documentation: the hreflang alternate
# (https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap)
# and the News sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
# They are deliberately tight: every attribute and child is required.
XHTML_LINK_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{XHTML_NS}" elementFormDefault="qualified">
  <xsd:element name="link">
    <xsd:complexType>
      <xsd:attribute name="rel" use="required">
        <xsd:simpleType><xsd:restriction base="xsd:string"><xsd:enumeration value="alternate"/></xsd:restriction></xsd:simpleType>
      </xsd:attribute>
      <xsd:attribute name="hreflang" use="required">
        <xsd:simpleType>
          <xsd:union memberTypes="xsd:language">
            <xsd:simpleType><xsd:restriction base="xsd:string"><xsd:enumeration value="x-default"/></xsd:restriction></xsd:simpleType>
          </xsd:union>
        </xsd:simpleType>
      </xsd:attribute>
      <xsd:attribute name="href" type="xsd:anyURI" use="required"/>
    </xsd:complexType>
  </xsd:element>
</xsd:schema>
"""
NEWS_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{NEWS_NS}" xmlns="{NEWS_NS}"
            elementFormDefault="qualified">
  <xsd:element name="news">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="publication">
          <xsd:complexType>
            <xsd:sequence>
              <xsd:element name="name" type="nonEmpty"/>
              <xsd:element name="language">
                <xsd:simpleType><xsd:restriction base="xsd:language"><xsd:pattern value="zh-cn|zh-tw|[a-z]{{2,3}}"/></xsd:restriction></xsd:simpleType>
              </xsd:element>
            </xsd:sequence>
          </xsd:complexType>
        </xsd:element>
        <xsd:element name="publication_date">
          <xsd:simpleType><xsd:union memberTypes="xsd:date xsd:dateTime"/></xsd:simpleType>
        </xsd:element>
        <xsd:element name="title" type="nonEmpty"/>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
  <xsd:simpleType name="nonEmpty"><xsd:restriction base="xsd:string"><xsd:minLength value="1"/></xsd:restriction></xsd:simpleType>
</xsd:schema>
"""


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schemas")
    (folder / "xhtml-link.xsd").write_text(XHTML_LINK_XSD, encoding="utf-8")
    (folder / "news.xsd").write_text(NEWS_XSD, encoding="utf-8")
    imports = [
        (SITEMAP_NS, (SCHEMAS / "sitemap.xsd").as_uri()),
        (XHTML_NS, (folder / "xhtml-link.xsd").as_uri()),
        (NEWS_NS, (folder / "news.xsd").as_uri()),
    ]
    driver = '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{}</xsd:schema>'.format(
        "".join(f'<xsd:import namespace="{ns}" schemaLocation="{uri}"/>' for ns, uri in imports)
    )
    (folder / "sitemap-with-extensions.xsd").write_text(driver, encoding="utf-8")
    return {
        "index": etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd"))),
        "sitemap": etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd"))),
        "sitemap_with_extensions": etree.XMLSchema(etree.parse(str(folder / "sitemap-with-extensions.xsd"))),
    }


def valid(schema, document):
    assert schema.validate(document), schema.error_log
    return document


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def locations(document):
    return document.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NS)


@pytest.fixture
def newsroom():
    opinion = make_section("مقالات رأي", slug="opinion")
    writer = make_author("دلشاد يوسف", slug="dilshad")
    drafter = make_author("كاتب المسودات", slug="drafter")
    series = make_series("المدينة بعد الحرب", slug="city-after-war")
    return {
        "opinion": opinion,
        "writer": writer,
        "series": series,
        "today": make_article(
            opinion, title="خبر اليوم", authors=[writer], kind="news", tags=["الحسكة"], series=series, part_number=2
        ),
        "old": make_article(
            opinion, title="مقال قديم", authors=[writer], series=series, part_number=1, published_at=days_ago(3)
        ),
        "draft": make_article(opinion, title="مسودة", authors=[drafter], tags=["وسم المسودة"], live=False),
    }


def test_index_validates_and_lists_every_sitemap(client, newsroom, schemas):
    index = valid(schemas["index"], get_xml(client, "/sitemap.xml"))

    listed = index.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=NS)
    names = ("pages", "sections", "articles", "authors", "series", "tags")
    assert listed == [f"http://testserver/sitemap-{name}.xml" for name in names]


@pytest.mark.parametrize("name", ["pages", "sections", "articles", "authors", "series", "tags"])
def test_each_sitemap_validates_with_its_hreflang_alternates(client, newsroom, schemas, name):
    document = valid(schemas["sitemap_with_extensions"], get_xml(client, f"/sitemap-{name}.xml"))

    assert locations(document), name
    for url in document.xpath("/s:urlset/s:url", namespaces=NS):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{{{XHTML_NS}}}link")}
        assert set(alternates) == {"ar", "ckb", "en", "x-default"}
        assert alternates["x-default"] == alternates["ar"]
        assert alternates["en"] == alternates["ar"].replace("http://testserver/", "http://testserver/en/", 1)
        assert url.findtext(f"{{{SITEMAP_NS}}}loc") in alternates.values()


def test_plain_sitemap_schema_rejects_unknown_extensions(client, newsroom, schemas):
    """Guard for the approach above: the bare schema really is strict about xhtml:link."""
    document = get_xml(client, "/sitemap-articles.xml")
    assert not schemas["sitemap"].validate(document)


def test_articles_sitemap_lists_every_published_article_in_every_language(client, newsroom):
    listed = locations(get_xml(client, "/sitemap-articles.xml"))

    for article in (newsroom["today"], newsroom["old"]):
        path = article.url
        assert f"http://testserver{path}" in listed
        assert f"http://testserver/ckb{path}" in listed
        assert f"http://testserver/en{path}" in listed
    assert len(listed) == 6


def test_article_lastmod_is_its_update_date(client, newsroom):
    article = newsroom["old"]
    article.updated_at = datetime.datetime(2030, 5, 4, 12, tzinfo=datetime.UTC)
    article.save_revision().publish()

    document = get_xml(client, "/sitemap-articles.xml")
    lastmod = document.xpath(
        "/s:urlset/s:url[s:loc=$loc]/s:lastmod/text()", namespaces=NS, loc=f"http://testserver{article.url}"
    )
    assert lastmod == ["2030-05-04"]


def test_drafts_and_their_only_authors_and_tags_are_in_no_sitemap(client, newsroom):
    everything = []
    for name in ("pages", "sections", "articles", "authors", "series", "tags"):
        everything += locations(get_xml(client, f"/sitemap-{name}.xml"))
    everything += locations(get_xml(client, "/news-sitemap.xml"))

    assert not [url for url in everything if newsroom["draft"].slug in url]
    assert "http://testserver/author/drafter/" not in everything
    assert "http://testserver/author/dilshad/" in everything
    assert "http://testserver/series/city-after-war/" in everything
    assert not [url for url in everything if "%D9%88%D8%B3%D9%85" in url]  # وسم المسودة
    assert "http://testserver/opinion/" in everything
    assert "http://testserver/" in everything


def test_news_sitemap_has_todays_article_only(client, newsroom, schemas):
    document = valid(schemas["sitemap_with_extensions"], get_xml(client, "/news-sitemap.xml"))

    assert locations(document) == [f"http://testserver{newsroom['today'].url}"]
    today = newsroom["today"]
    news = document.find(f"{{{SITEMAP_NS}}}url/{{{NEWS_NS}}}news")
    assert news.findtext("news:publication/news:name", namespaces=NS) == "منبر"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ar"
    assert news.findtext("news:title", namespaces=NS) == f"خبر اليوم {today.part_label}"
    published = parse_datetime(news.findtext("news:publication_date", namespaces=NS))
    assert abs((published - today.first_published_at).total_seconds()) < 1


def test_news_sitemap_names_a_kurdish_articles_language(client, newsroom):
    make_article(newsroom["opinion"], title="ھەواڵی ئەمڕۆ", language="ckb", kind="news")

    document = get_xml(client, "/news-sitemap.xml")
    languages = document.xpath("//news:publication/news:language/text()", namespaces=NS)
    assert sorted(languages) == ["ar", "ckb"]
