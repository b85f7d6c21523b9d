"""The search page and its JSON twin, as readers and the site's scripts meet them."""

import datetime
import json
import re
from html import unescape

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from minbar.search import query as query_language
from minbar.search.forms import SearchForm
from tests.factories import days_ago, make_author

from .conftest import paragraphs

pytestmark = pytest.mark.django_db

INTERFACES = {"ar": "", "ckb": "/ckb", "en": "/en"}


def _html(response):
    return response.content.decode()


def _main(response):
    html = _html(response)
    return html[html.index("<main") : html.index("</main>")]


def _results(response):
    return re.findall(r'<article class="card search-result">.*?</article>', _html(response), re.S)


def _text(response):
    """The page with highlighting removed, to look for titles as written."""
    return re.sub(r"</?mark>", "", _html(response))


@pytest.fixture
def prisoners(publish, section):
    return publish(
        section,
        "عودة الأسرى إلى قراهم",
        paragraphs(
            "بعد سنوات من الغياب، عاد الأسرى إلى بيوتهم في الريف الشرقي، واستقبلهم الأهالي بالأغاني والزغاريد.",
            "وقال أحد العائدين إن أول ما فعله هو زيارة بئر القرية.",
        ),
    )


@pytest.mark.parametrize("interface", list(INTERFACES))
def test_results_show_title_section_byline_date_and_highlighted_words(client, prisoners, interface):
    response = client.get(f"{INTERFACES[interface]}/search/", {"q": "الاسرى"})
    assert response.status_code == 200
    assert response.templates[0].name == "search/search_page.html"
    (result,) = _results(response)
    # The words as the writer wrote them (with hamza), marked where they matched.
    assert "عودة <mark>الأسرى</mark> إلى قراهم" in result
    assert "عاد <mark>الأسرى</mark> إلى بيوتهم" in result
    assert f'href="{INTERFACES[interface]}/news/{prisoners.slug}/"' in result
    assert ">أخبار</a>" in result and "دلشاد يوسف" in result and "<time datetime=" in result
    with translation.override(interface):
        count = ngettext("%(shown)s result", "%(shown)s results", 1) % {"shown": 1}
    assert count in _main(response)


def test_the_result_count_uses_the_plural_of_the_interface_language(client, publish, section):
    for number in range(3):
        publish(section, f"موسم الزيتون {number}", paragraphs("بدأ قطاف الزيتون في القرى."))
    for interface, prefix in INTERFACES.items():
        html = _main(client.get(f"{prefix}/search/", {"q": "الزيتون"}))
        with translation.override(interface):
            expected = ngettext("%(shown)s result", "%(shown)s results", 3) % {"shown": 3}
        assert expected in html, interface


def test_the_snippet_is_cut_around_the_first_match_with_ellipses(client, publish, section):
    words = " ".join(f"كلمة{number}" for number in range(80))
    publish(section, "نص طويل", paragraphs(f"{words} الزيتون {words}"))
    (result,) = _results(client.get("/search/", {"q": "الزيتون"}))
    snippet = re.search(r'<p class="card-summary"[^>]*>(.*?)</p>', result, re.S).group(1)
    assert snippet.startswith("… ") and snippet.endswith("…")
    assert "<mark>الزيتون</mark>" in snippet
    # Eight words before the match, the rest after it.
    assert snippet.startswith("… كلمة72 ") and "كلمة71 " not in snippet
    assert snippet.endswith(" كلمة26…") and "كلمة27" not in snippet


def test_the_page_is_not_for_search_engines_and_sets_no_cookie(client, prisoners):
    response = client.get("/search/", {"q": "الأسرى"})
    assert '<meta name="robots" content="noindex">' in _html(response)
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_the_query_is_shown_back_escaped_everywhere(client, prisoners):
    typed = '<script>alert("x")</script> "><img src=x onerror=alert(1)> الأسرى'
    for url in ("/search/", "/search/results.json"):
        body = _html(client.get(url, {"q": typed}))
        assert "<script" not in body.split("</head>")[-1] and "<img src=x" not in body
    assert json.loads(_html(client.get("/search/results.json", {"q": typed})))["query"] == typed
    html = _html(client.get("/search/", {"q": typed}))
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;&gt;&lt;img' in html


@pytest.mark.parametrize(
    "typed, message",
    [
        ("م", query_language.MESSAGE_TOO_SHORT),
        ("؟؟!!", query_language.MESSAGE_NO_WORDS),
        ("-الأسرى", query_language.MESSAGE_ONLY_EXCLUSIONS),
        ("كلمة " * 250, None),
    ],
    ids=["too short", "punctuation", "only exclusions", "too long"],
)
def test_a_query_that_cannot_be_searched_gets_its_message_in_each_interface(client, prisoners, typed, message):
    for interface, prefix in INTERFACES.items():
        response = client.get(f"{prefix}/search/", {"q": typed})
        assert response.status_code == 200
        with translation.override(interface):
            expected = str(message) if message else str(query_language.MESSAGE_TOO_LONG) % {"limit": 200}
        assert f'role="alert">{expected}</p>' in unescape(_main(response))
        assert not _results(response)


@pytest.mark.parametrize("typed", ["\x00", "%00", "NEAR(", '"', "'; DROP TABLE x; --", "title_forms:x", "\u202e"])
def test_hostile_queries_get_a_page_never_an_error(client, prisoners, typed):
    assert client.get("/search/", {"q": typed}).status_code == 200
    response = client.get("/search/results.json", {"q": typed})
    assert response.status_code in (200, 400)
    assert "error" in response.json()


def test_raw_bytes_that_are_not_utf8_get_a_page(client, prisoners):
    assert client.get("/search/?q=%ED%A0%80%FF%00").status_code == 200


def test_control_characters_in_the_query_are_dropped_not_refused(client, prisoners):
    response = client.get("/search/", {"q": "الأسرى\x00\x07"})
    assert len(_results(response)) == 1 and 'role="alert"' not in _html(response)
    assert client.get("/search/results.json", {"q": "الأسرى\x00"}).json()["total"] == 1


def test_no_results_suggests_spelling_fewer_words_and_the_sections(client, prisoners, other_section):
    response = client.get("/en/search/", {"q": "زلزال"})
    html = _main(response)
    assert not _results(response)
    with translation.override("en"):
        assert gettext("Check the spelling, or try another word with the same meaning.") in html
        assert gettext("Search again without the filters") not in html
    assert 'href="/en/news/"' in html and 'href="/en/opinion/"' in html


def test_no_results_with_filters_offers_the_search_without_them(client, prisoners, other_section):
    html = _main(client.get("/search/", {"q": "الأسرى", "section": "opinion", "kind": "news"}))
    with translation.override("ar"):
        link = gettext("Search again without the filters")
    match = re.search(rf'<a href="([^"]+)">{re.escape(link)}</a>', html)
    assert match and unescape(match.group(1)) == "/search/?q=%D8%A7%D9%84%D8%A3%D8%B3%D8%B1%D9%89"


def test_filters_narrow_the_results(client, publish, section, other_section):
    writer = make_author("ريم الحسن", slug="reem")
    old = publish(section, "الزيتون في الجبل", paragraphs("قطاف الزيتون."), published_at=days_ago(400), kind="news")
    by_writer = publish(other_section, "الزيتون والمطر", paragraphs("الزيتون يحتاج المطر."), authors=[writer])
    report = publish(section, "تقرير الزيتون", paragraphs("أسعار الزيتون."), kind="report", language="ar")

    def found(**params):
        return _text(client.get("/search/", {"q": "الزيتون", **params}))

    def titles(html):
        return {article.title for article in (old, by_writer, report) if article.title in html}

    assert titles(found()) == {old.title, by_writer.title, report.title}
    assert titles(found(section="opinion")) == {by_writer.title}
    assert titles(found(author="reem")) == {by_writer.title}
    assert titles(found(kind="report")) == {report.title}
    last_year = (datetime.date.today() - datetime.timedelta(days=300)).isoformat()
    assert titles(found(date_from=last_year)) == {by_writer.title, report.title}
    assert titles(found(date_to=last_year)) == {old.title}


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"date_from": "2024-13-45"}, "date_from", SearchForm.base_fields["date_from"].error_messages["invalid"]),
        ({"date_to": "أمس"}, "date_to", SearchForm.base_fields["date_to"].error_messages["invalid"]),
        ({"section": "no-such-section"}, "section", SearchForm.base_fields["section"].error_messages["invalid_choice"]),
        ({"kind": "<b>"}, "kind", SearchForm.base_fields["kind"].error_messages["invalid_choice"]),
    ],
    ids=["impossible date", "words for a date", "unknown section", "unknown kind"],
)
def test_invalid_filters_get_a_message_next_to_the_field(client, prisoners, params, field, message):
    for interface, prefix in INTERFACES.items():
        response = client.get(f"{prefix}/search/", {"q": "الأسرى", **params})
        assert response.status_code == 200
        html = unescape(_main(response))
        with translation.override(interface):
            assert f'id="id_{field}_error">{message}</span>' in html
        assert not _results(response)
        assert "<b>" not in _main(response)


def test_dates_typed_with_arabic_indic_digits_are_understood(client, publish, section):
    publish(section, "الزيتون في الجبل", paragraphs("قطاف الزيتون."), published_at=days_ago(400))
    publish(section, "الزيتون والمطر", paragraphs("الزيتون يحتاج المطر."))
    start = (datetime.date.today() - datetime.timedelta(days=30)).isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    html = _text(client.get("/search/", {"q": "الزيتون", "date_from": start}))
    assert "الزيتون والمطر" in html and "الزيتون في الجبل" not in html


def test_an_end_date_before_the_start_date_gets_a_message(client, prisoners):
    html = _main(client.get("/en/search/", {"q": "الأسرى", "date_from": "2024-05-02", "date_to": "2024-05-01"}))
    with translation.override("en"):
        assert gettext("The end date comes before the start date.") in html


def test_results_are_paged_and_page_links_keep_the_query_and_filters(client, publish, section, settings):
    settings.MINBAR_SEARCH_RESULTS_PER_PAGE = 2
    for number in range(5):
        publish(section, f"الزيتون {number}", paragraphs("قطاف الزيتون."), published_at=days_ago(number + 1))
    first = client.get("/search/", {"q": "الزيتون", "section": "news"})
    assert len(_results(first)) == 2
    next_link = re.search(r'<a href="([^"]+)" rel="next">', _html(first)).group(1)
    assert unescape(next_link) == "/search/?q=%D8%A7%D9%84%D8%B2%D9%8A%D8%AA%D9%88%D9%86&section=news&page=2"
    last = client.get("/search/", {"q": "الزيتون", "section": "news", "page": "3"})
    assert len(_results(last)) == 1 and 'rel="next"' not in _html(last) and 'rel="prev"' in _html(last)
    assert "الزيتون 4" in _text(last)  # the oldest comes last
    beyond = client.get("/search/", {"q": "الزيتون", "page": "99"})
    assert _results(beyond) and "الزيتون 4" in _text(beyond)
    assert _results(client.get("/search/", {"q": "الزيتون", "page": "abc"}))


def test_an_empty_search_shows_the_form_and_the_sections(client, prisoners):
    response = client.get("/search/")
    assert response.status_code == 200
    html = _main(response)
    assert 'name="q"' in html and not _results(response) and 'role="alert"' not in html
    assert 'href="/news/"' in html


def test_each_query_gets_its_own_cached_page(client, prisoners, publish, section):
    publish(section, "سد جديد", paragraphs("بنى الأهالي سدا على الوادي."))
    first = client.get("/search/", {"q": "الأسرى"})
    again = client.get("/search/", {"q": "الأسرى"})
    other = client.get("/search/", {"q": "الوادي"})
    assert (first["X-Cache"], again["X-Cache"], other["X-Cache"]) == ("miss", "hit", "miss")
    assert "عودة" in _text(again) and "عودة" not in _text(other)
    assert "سد جديد" in _text(other)


def test_a_newly_indexed_article_is_not_hidden_by_a_cached_search_page(client, section, publish, on_commit):
    assert not _results(client.get("/search/", {"q": "الزيتون"}))
    publish(section, "موسم الزيتون", paragraphs("بدأ القطاف."))
    response = client.get("/search/", {"q": "الزيتون"})
    assert response["X-Cache"] == "miss" and len(_results(response)) == 1


def test_json_results_for_the_sites_own_scripts(client, prisoners):
    response = client.get("/en/search/results.json", {"q": "الاسرى"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert (data["query"], data["total"], data["page"], data["num_pages"], data["error"]) == ("الاسرى", 1, 1, 1, None)
    (result,) = data["results"]
    assert result["title"] == prisoners.title
    assert result["url"] == f"/en/news/{prisoners.slug}/"
    assert (result["section"], result["authors"], result["language"]) == ("أخبار", ["دلشاد يوسف"], "ar")
    assert datetime.datetime.fromisoformat(result["date"]) == prisoners.first_published_at
    assert "<mark>الأسرى</mark>" in result["snippet_html"] and "<mark>الأسرى</mark>" in result["title_html"]


def test_json_errors_are_translated_messages_with_a_400(client, prisoners):
    response = client.get("/en/search/results.json", {"q": "م"})
    assert response.status_code == 400
    with translation.override("en"):
        assert response.json()["error"] == str(query_language.MESSAGE_TOO_SHORT)
    assert response.json()["results"] == []
    bad_date = client.get("/en/search/results.json", {"q": "الأسرى", "date_from": "x"}).json()
    with translation.override("en"):
        assert bad_date["error"] == str(SearchForm.base_fields["date_from"].error_messages["invalid"])
    assert json.loads(client.get("/search/results.json").content)["error"]
