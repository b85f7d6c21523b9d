"""Readers' pages answer and show what a reader expects to find on them."""

import re
from html import unescape
from urllib.parse import quote, unquote

import pytest
from taggit.models import Tag

from minbar.newsroom.models import ArticlePage
from tests.factories import days_ago, make_article, make_author, make_section, make_series

pytestmark = pytest.mark.django_db


def _html(response):
    return response.content.decode()


def _html_attributes(html):
    match = re.search(r"<html([^>]*)>", html)
    return dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))


def _publish(article):
    article = ArticlePage.objects.get(pk=article.pk)
    article.save_revision().publish()
    return article


@pytest.fixture
def series_site():
    section = make_section("مقالات رأي", slug="opinion")
    person = make_author("دلشاد يوسف", slug="dilshad-yousef")
    organization = make_author("جمعية الجسر الثقافية", slug="future-current", kind="organization")
    series = make_series("المدينة بعد الحرب", slug="city-after-war")
    part_one = make_article(
        section,
        title="المدينة بعد الحرب",
        slug="city-after-war-1",
        authors=[person, organization],
        series=series,
        part_number=1,
        tags=["الحسكة"],
        published_at=days_ago(3),
    )
    part_two = make_article(
        section, title="المدينة بعد الحرب", slug="city-after-war-2", authors=[person], series=series,
        part_number=2, live=False,
    )
    other = make_article(section, title="مكتبة الحي", authors=[person], published_at=days_ago(5))
    return {
        "section": section, "person": person, "organization": organization, "series": series,
        "part_one": part_one, "part_two": part_two, "other": other,
    }


def test_home_page_lists_latest_articles_in_their_language(client, series_site):
    make_article(series_site["section"], title="The prison attack, one year on", language="en", slug="one-year-on")
    html = _html(client.get("/"))
    assert 'lang="ar" dir="rtl"' in html.split("<head>")[0]
    assert "مكتبة الحي" in html
    assert re.search(r'<h3 class="card-title" lang="en" dir="ltr">', html)
    assert html.count("<h1") == 1


def test_section_page_lists_its_articles_with_pagination(client, series_site, settings):
    settings.MINBAR_ARTICLES_PER_PAGE = 1
    response = client.get(series_site["section"].url)
    html = _html(response)
    assert response.status_code == 200
    assert "<h1" in html and "مقالات رأي" in html
    assert 'rel="next"' in html and "?page=2" in html
    assert "الصفحة 1 من 2" in html


def test_article_page_shows_title_with_part_label_in_the_article_language(client, series_site):
    html = _html(client.get(series_site["part_one"].url))
    heading = re.search(r'<div class="article-heading" lang="ar" dir="rtl">\s*<h1[^>]*>(.*?)</h1>', html, re.S)
    assert heading, "the title is not wrapped in the article's lang/dir"
    text = re.sub(r"<[^>]+>", "", heading.group(1))
    assert "المدينة بعد الحرب" in text and series_site["part_one"].part_label in text


def test_arabic_article_says_part_and_continued_in_arabic(client, series_site):
    html = _html(client.get("/en" + series_site["part_one"].url))
    assert "ج1" in html and "يتبع" in html


def test_article_byline_links_each_author_including_organizations(client, series_site):
    html = _html(client.get(series_site["part_one"].url))
    for author in (series_site["person"], series_site["organization"]):
        link = re.search(rf'<a href="{re.escape(quote(author.get_absolute_url(), safe="/"))}"[^>]*>([^<]*)</a>', html)
        assert link and link.group(1) == author.name
    assert "<time datetime=" in html


def test_article_says_to_be_continued_while_the_next_part_is_a_draft(client, series_site):
    html = _html(client.get(series_site["part_one"].url))
    assert f'<p class="continued">{series_site["part_one"].continued_label}</p>' in html
    assert series_site["part_two"].slug not in html


def test_article_links_to_the_next_part_once_it_is_published(client, series_site):
    part_two = _publish(series_site["part_two"])
    html = _html(client.get(series_site["part_one"].url))
    assert 'class="continued"' not in html and part_two.continued_label not in html
    assert re.search(rf'<a href="[^"]*/{part_two.slug}/" rel="next"', html)
    assert part_two.part_label in html


def test_share_links_point_to_the_article_address(client, series_site):
    article = series_site["part_one"]
    html = unescape(_html(client.get(article.url)))
    address = f"http://testserver{unquote(article.url)}"
    for prefix in (
        "https://wa.me/?text=",
        "https://t.me/share/url?url=",
        "https://x.com/intent/post?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "mailto:?subject=",
    ):
        hrefs = [unquote(h) for h in re.findall(rf'href="({re.escape(prefix)}[^"]*)"', html)]
        assert hrefs and address in hrefs[0], f"{prefix} does not share {address}: {hrefs}"
    assert f'value="{address}" readonly' in unquote(html)


def test_article_page_loads_nothing_from_other_sites(client, series_site):
    html = _html(client.get(series_site["part_one"].url))
    for attribute in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
        if attribute.startswith(("http://testserver",)):
            continue
        # Only the share links may name another site; they are links, not loads.
        assert re.search(rf'<a href="{re.escape(attribute)}"', html), attribute
    assert "<script>" not in html and " style=" not in html


def test_read_also_teasers_start_with_the_author_and_end_with_an_ellipsis(client, series_site, settings):
    settings.MINBAR_EXCERPT_WORDS = 5
    html = _html(client.get(series_site["part_one"].url))
    block = re.search(r'<section class="read-also".*?</section>', html, re.S).group(0)
    teasers = re.findall(r'<span class="read-also-teaser">([^<]*)</span>', block)
    assert teasers
    for teaser in teasers:
        assert teaser.startswith("دلشاد يوسف") and teaser.endswith("…")
    assert "مكتبة الحي" in block


def test_article_page_carries_rating_and_comments_markup_without_reader_data(client, series_site):
    html = _html(client.get(series_site["part_one"].url))
    assert '<section class="rating"' in html and '<section class="comments" id="comments"' in html
    for order in ("oldest", "newest", "votes"):
        assert f'href="?order={order}#comments"' in html
    assert "csrfmiddlewaretoken" not in html
    # Reader actions post to the discussion apps, which check the origin instead of a token.
    post_forms = [tag for tag in re.findall(r"<form\b[^>]*>", html) if 'method="post"' in tag.lower()]
    assert post_forms
    for tag in post_forms:
        assert re.search(r'action="/(comments|ratings|subscriptions|passages)/', tag), tag


@pytest.mark.parametrize(
    ("prefix", "language", "direction"), [("", "ar", "rtl"), ("/ckb", "ckb", "rtl"), ("/en", "en", "ltr")]
)
def test_pages_take_lang_and_dir_from_the_interface(client, series_site, prefix, language, direction):
    html = _html(client.get(prefix + series_site["part_one"].url))
    assert _html_attributes(html) == {"lang": language, "dir": direction}
    assert f'hreflang="{language}"' in html


def test_english_article_keeps_its_direction_in_the_arabic_interface(client, series_site):
    article = make_article(
        series_site["section"], title="The prison attack, one year on", language="en", slug="one-year-on",
        body="<p>One year after the attack, residents describe a changed city.</p>",
    )
    html = _html(client.get(article.url))
    assert _html_attributes(html)["dir"] == "rtl"
    assert '<div class="article-heading" lang="en" dir="ltr">' in html
    assert '<div class="article-body prose" lang="en" dir="ltr">' in html


def test_arabic_title_reads_right_to_left_in_the_english_interface(client, series_site):
    html = _html(client.get("/en" + series_site["part_one"].url))
    assert '<div class="article-heading" lang="ar" dir="rtl">' in html


def test_author_page_lists_the_authors_articles(client, series_site):
    response = client.get(series_site["person"].get_absolute_url())
    html = _html(response)
    assert response.status_code == 200
    assert "دلشاد يوسف" in html and "مكتبة الحي" in html


def test_series_page_lists_published_parts(client, series_site):
    response = client.get(series_site["series"].get_absolute_url())
    html = _html(response)
    assert response.status_code == 200
    assert series_site["part_one"].part_label in html and series_site["part_two"].slug not in html


def test_tag_page_lists_tagged_articles(client, series_site):
    tag = Tag.objects.get(name="الحسكة")
    response = client.get(f"/tag/{tag.slug}/")
    assert response.status_code == 200
    assert "المدينة بعد الحرب" in _html(response)


def test_search_page_keeps_the_query_and_says_search_is_coming(client, series_site):
    response = client.get("/search/", {"q": "مياه <b>"})
    html = _html(response)
    assert response.status_code == 200
    assert 'name="q"' in html and "مياه &lt;b&gt;" in html and "<b>" not in html


def test_missing_page_answers_404_with_the_site_around_it(client, series_site):
    response = client.get("/no-such-page/")
    html = _html(response)
    assert response.status_code == 404
    assert "/no-such-page/" in html and 'href="/"' in html and 'role="search"' in html


def test_header_lists_sections_and_languages(client, series_site):
    make_section("أخبار", slug="news")
    html = _html(client.get("/en/"))
    nav = re.search(r'<nav class="sections".*?</nav>', html, re.S).group(0)
    assert "مقالات رأي" in nav and "أخبار" in nav and "/en/news/" in nav
    for code in ("ar", "ckb", "en"):
        assert f'hreflang="{code}"' in html
    assert '<a class="skip-link" href="#main">' in html


def test_home_page_keeps_a_block_for_a_section_that_publishes_rarely(client, settings):
    """A statements section with one old item still has its block under many newer news items."""
    settings.MINBAR_ARTICLES_PER_PAGE = 2
    news = make_section("أخبار", slug="news")
    statements = make_section("بيانات", slug="statements")
    make_article(statements, title="بيان قديم عن المياه", kind="statement", published_at=days_ago(40))
    for n in range(12):
        make_article(news, title=f"خبر رقم {n}", kind="news", published_at=days_ago(n))
    html = _html(client.get("/"))
    assert "بيان قديم عن المياه" in html
    assert html.count("خبر رقم") == 2 + 4  # the latest two, then the news block of four
