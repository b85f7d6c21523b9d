"""RSS and Atom feeds of the site, a section, an author and a series."""

import email.utils
from pathlib import Path

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from lxml import etree

from tests.factories import days_ago, make_article, make_author, make_section, make_series

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ATOM_SCHEMA = SHARED / "data" / "feeds" / "schemas" / "atom.rng"
ATOM_NS = "{http://www.w3.org/2005/Atom}"


def feed_url(name, language="ar", **kwargs):
    with translation.override(language):
        return reverse(f"newsroom:{name}", kwargs=kwargs or None)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def parse_rss(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    channel = etree.fromstring(response.content).find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link") and item.findtext("guid")
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) is not None
    return parsed, channel


def parse_atom(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    document = etree.fromstring(response.content)
    schema = etree.RelaxNG(etree.parse(str(ATOM_SCHEMA)))
    assert schema.validate(document), schema.error_log
    return parsed, document


def headline(article):
    """The title feeds show: the part marker (ج1 once the catalogs are compiled) follows it."""
    return f"{article.title} {article.part_label}" if article.part_number else article.title


def titles(parsed):
    return [entry.title for entry in parsed.entries]


@pytest.fixture
def newsroom():
    opinion = make_section("مقالات رأي", slug="opinion")
    news = make_section("أخبار", slug="news")
    writer = make_author("دلشاد يوسف", slug="dilshad")
    party = make_author("نقابة المعلمين المحلية", slug="enks", kind="organization")
    series = make_series("المدينة بعد الحرب", slug="city-after-war")
    return {
        "opinion": opinion,
        "news": news,
        "writer": writer,
        "party": party,
        "series": series,
        "part1": make_article(
            opinion,
            title="المدينة بعد الحرب",
            authors=[writer],
            series=series,
            part_number=1,
            tags=["الحسكة", "مياه"],
            summary="ملخص الجزء الأول من السلسلة.",
            published_at=days_ago(3),
        ),
        "part2": make_article(
            opinion,
            title="المدينة بعد الحرب",
            authors=[writer],
            series=series,
            part_number=2,
            published_at=days_ago(1),
        ),
        "statement": make_article(
            news, title="تصريح صحفي حول الأحداث", authors=[party], kind="statement", published_at=days_ago(2)
        ),
        "joint": make_article(news, title="بيان مشترك", authors=[writer, party], kind="news"),
        "draft": make_article(news, title="مسودة لم تنشر", authors=[writer], live=False),
    }


def test_site_rss_lists_published_articles_newest_first(client, newsroom):
    parsed, channel = parse_rss(fetch(client, feed_url("feed_rss")))

    expected = [newsroom[key] for key in ("joint", "part2", "statement", "part1")]
    assert titles(parsed) == [headline(article) for article in expected]
    assert titles(parsed)[1] == f"المدينة بعد الحرب {newsroom['part2'].part_label}"
    assert newsroom["part2"].part_label
    assert channel.findtext("title") == "منبر"
    assert channel.findtext("language") == "ar"
    assert channel.findtext("link") == "http://testserver/"


def test_feeds_leave_out_drafts(client, newsroom):
    for name, kwargs in [
        ("feed_rss", {}),
        ("feed_atom", {}),
        ("section_feed_rss", {"slug": "news"}),
        ("author_feed_atom", {"slug": "dilshad"}),
    ]:
        body = fetch(client, feed_url(name, **kwargs)).content.decode()
        assert "مسودة لم تنشر" not in body, name


def test_rss_item_carries_link_summary_byline_dates_and_tags(client, newsroom):
    parsed, channel = parse_rss(fetch(client, feed_url("feed_rss")))
    part1 = newsroom["part1"]
    entry = next(entry for entry in parsed.entries if entry.title == headline(newsroom["part1"]))

    assert entry.link == f"http://testserver{part1.url}"
    assert entry.summary == "ملخص الجزء الأول من السلسلة."
    assert entry.author == "دلشاد يوسف"
    assert sorted(tag.term for tag in entry.tags) == ["الحسكة", "مياه"]
    item = next(item for item in channel.findall("item") if item.findtext("title") == headline(part1))
    published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    assert abs((published - part1.first_published_at).total_seconds()) < 1
    assert item.find("guid").get("isPermaLink") == "false"


def test_rss_description_falls_back_to_an_excerpt_of_the_body(client, newsroom):
    parsed, _channel = parse_rss(fetch(client, feed_url("feed_rss")))
    entry = next(entry for entry in parsed.entries if entry.title == "بيان مشترك")

    assert entry.summary.startswith("اعلن مجلس البلديةـ في مؤتمر صحفي")
    assert "<p>" not in entry.summary


def test_joint_article_names_every_author(client, newsroom):
    parsed, _channel = parse_rss(fetch(client, feed_url("feed_rss")))
    entry = next(entry for entry in parsed.entries if entry.title == "بيان مشترك")

    assert entry.author == "دلشاد يوسف، نقابة المعلمين المحلية"


def test_guid_is_stable_across_interface_languages_and_slug_edits(client, newsroom):
    def guids():
        parsed, _channel = parse_rss(fetch(client, feed_url("feed_rss")))
        parsed_en, _channel = parse_rss(fetch(client, feed_url("feed_rss", "en")))
        assert [entry.id for entry in parsed.entries] == [entry.id for entry in parsed_en.entries]
        return {entry.title: entry.id for entry in parsed.entries}

    before = guids()
    article = newsroom["statement"]
    article.slug = "renamed-statement"
    article.save_revision().publish()
    from django.core.cache import cache

    cache.clear()
    assert guids()["تصريح صحفي حول الأحداث"] == before["تصريح صحفي حول الأحداث"]
    assert len(set(before.values())) == len(before)


def test_site_atom_validates_and_links_to_itself(client, newsroom):
    parsed, document = parse_atom(fetch(client, feed_url("feed_atom")))

    assert document.find(f"{ATOM_NS}link[@rel='self']").get("href") == "http://testserver/feed/atom/"
    assert titles(parsed)[0] == "بيان مشترك"
    entry = next(entry for entry in parsed.entries if entry.title == headline(newsroom["part1"]))
    assert entry.author == "دلشاد يوسف"
    assert entry.link == f"http://testserver{newsroom['part1'].url}"
    assert entry.published_parsed and entry.updated_parsed


def test_english_interface_feed_is_titled_in_english_and_links_to_english_pages(client, newsroom):
    parsed, channel = parse_rss(fetch(client, feed_url("feed_rss", "en")))

    assert channel.findtext("description") == "Latest articles from منبر"
    assert channel.findtext("link") == "http://testserver/en/"
    assert all(entry.link.startswith("http://testserver/en/") for entry in parsed.entries)
    atom, document = parse_atom(fetch(client, feed_url("feed_atom", "en")))
    assert document.findtext(f"{ATOM_NS}subtitle") == "Latest articles from منبر"
    assert document.find(f"{ATOM_NS}link[@rel='self']").get("href") == "http://testserver/en/feed/atom/"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_section_feeds_hold_only_that_section(client, newsroom, language):
    rss, channel = parse_rss(fetch(client, feed_url("section_feed_rss", language, slug="news")))
    atom, _document = parse_atom(fetch(client, feed_url("section_feed_atom", language, slug="news")))

    assert titles(rss) == titles(atom) == ["بيان مشترك", "تصريح صحفي حول الأحداث"]
    assert channel.findtext("title") == "أخبار — منبر"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_author_feeds_hold_only_that_authors_articles(client, newsroom, language):
    rss, channel = parse_rss(fetch(client, feed_url("author_feed_rss", language, slug="enks")))
    atom, _document = parse_atom(fetch(client, feed_url("author_feed_atom", language, slug="enks")))

    assert titles(rss) == titles(atom) == ["بيان مشترك", "تصريح صحفي حول الأحداث"]
    assert channel.findtext("title") == "نقابة المعلمين المحلية — منبر"
    prefix = "/en" if language == "en" else ""
    assert channel.findtext("link") == f"http://testserver{prefix}/author/enks/"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_series_feeds_hold_its_published_parts(client, newsroom, language):
    rss, _channel = parse_rss(fetch(client, feed_url("series_feed_rss", language, slug="city-after-war")))
    atom, _document = parse_atom(fetch(client, feed_url("series_feed_atom", language, slug="city-after-war")))

    assert titles(rss) == titles(atom) == [headline(newsroom["part2"]), headline(newsroom["part1"])]


def test_feed_of_a_missing_section_author_or_series_is_404(client, newsroom):
    for name in ("section_feed_rss", "author_feed_atom", "series_feed_rss"):
        assert client.get(feed_url(name, slug="no-such-thing")).status_code == 404


def test_feed_queries_do_not_grow_with_the_number_of_articles(client, newsroom):
    def count_queries():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            fetch(client, feed_url("feed_atom"))
        return len(queries)

    few = count_queries()
    writer = make_author("كاتب آخر")
    for number in range(5):
        authors = [writer, newsroom["party"]]
        make_article(newsroom["news"], title=f"خبر {number}", authors=authors, tags=[f"وسم {number}"])
    assert count_queries() == few
