"""Every spelling of one old address gives the same key, so an import and a reader's request meet."""

from urllib.parse import quote

import pytest

from minbar.legacy import keys

# "مدينة-بعد-الحرب" as WordPress stores and links it: percent-encoded UTF-8, lower-case hex.
ARABIC = "مدينة-بعد-الحرب"
ENCODED_LOWER = quote(ARABIC).lower()
ENCODED_UPPER = quote(ARABIC).upper()


def post_keys(link="https://old.example/2019/05/03/" + ENCODED_LOWER + "/", post_name=ENCODED_LOWER):
    return keys.for_item(link, 123, "post", post_name, "2019-05-03 10:00:00")


@pytest.mark.parametrize("spelling", [ENCODED_LOWER, ENCODED_UPPER, ARABIC, quote(quote(ARABIC))])
def test_arabic_slug_in_any_hex_case_encoded_twice_or_decoded_is_one_key(spelling):
    assert keys.part(spelling) == ARABIC
    assert f"slug:{ARABIC}" in keys.for_request(f"/{spelling}/", {})
    assert f"slug:{ARABIC}" in post_keys(post_name=spelling)


def test_an_import_and_every_old_form_of_a_post_share_a_key():
    stored = set(post_keys())
    assert stored == {"id:123", f"path:/2019/05/03/{ARABIC}/", f"slug:{ARABIC}"}
    for path in (
        f"/2019/05/03/{ENCODED_UPPER}/",
        f"/2019/05/03/{ENCODED_LOWER}",
        f"/2019/05/{ARABIC}/",
        f"/2019/{ARABIC}/",
        f"/{ARABIC}/",
        f"/{ARABIC}/amp/",
        f"/{ARABIC}/comment-page-3/",
        f"/{ARABIC}/feed/",
        "/archives/123",
    ):
        assert stored & set(keys.for_request(path, {})), path
    for query in ({"p": "123"}, {"page_id": "123"}, {"attachment_id": "123"}, {"p": "123", "utm_source": "x"}):
        assert keys.for_request("/", query) == ["id:123"]


def test_the_exact_permalink_is_tried_first_and_covers_custom_structures():
    stored = keys.for_item("https://old.example/news/news-desk/4711/?utm=1#top", 4711, "post", "x")
    assert "path:/news/news-desk/4711/" in stored
    assert keys.for_request("/news/news-desk/4711", {"utm_medium": "rss"})[0] == "path:/news/news-desk/4711/"


def test_a_slug_cut_inside_a_utf8_sequence_drops_the_cut_letter_wherever_the_cut_fell():
    whole = quote("سوق")  # %D8%B3%D9%88%D9%82
    for cut in (whole[:-3], whole[:-2], whole[:-1]):  # after a byte, after "%D", after "%"
        assert keys.part(cut) == "سو", cut
    # Django hands a request's broken bytes back percent-encoded: "سو%D9".
    assert keys.for_request("/" + "سو%D9" + "/", {})[0] == "path:/سو/"
    assert keys.for_item("/" + whole[:-3] + "/", 9, "post", whole[:-2]) == ["id:9", "path:/سو/", "slug:سو"]


def test_trailing_slash_case_and_the_query_string_do_not_matter():
    expected = keys.for_request("/tag/Ramadan-2024/", {})
    assert keys.for_request("/tag/ramadan-2024", {"utm_source": "fb", "fbclid": "1"}) == expected
    assert expected == ["path:/tag/ramadan-2024/", "post_tag:ramadan-2024"]
    # Only WordPress's own parameters name something, and only on the front page.
    assert keys.for_request("/", {"utm_source": "x", "s": "gaza"}) == []
    assert keys.for_request("/some-article/", {"p": "5"}) == ["path:/some-article/", "page:some-article",
                                                            "slug:some-article"]


def test_query_forms():
    assert keys.for_request("/", {"cat": "12"}) == ["term-id:category:12"]
    assert keys.for_request("/index.php", {"tag": quote("غزة")}) == ["post_tag:غزة"]
    assert keys.for_request("/", {"author": "3"}) == ["author-id:3"]
    assert keys.for_request("/", {"p": "12abc"}) == []
    assert keys.for_request("/", {"p": "١٢"}) == []  # only ASCII digits are WordPress IDs


def test_term_and_author_keys_match_their_archives():
    assert keys.for_term("category", ENCODED_UPPER, 12) == [f"category:{ARABIC}", "term-id:category:12"]
    assert keys.for_request(f"/category/news/{ENCODED_LOWER}/", {})[1] == f"category:{ARABIC}"
    assert keys.for_author("Admin_Login", "admin-login", 3) == ["author:admin-login", "author:admin_login",
                                                                 "author-id:3"]
    assert keys.for_request("/author/admin-login/page/2/", {})[1] == "author:admin-login"
    assert keys.for_term("series", "city", None) == ["series:city"]
    assert keys.for_request("/series/city/", {})[1] == "series:city"


def test_nested_page_before_a_post_with_the_same_last_slug():
    assert keys.for_item("/about/team/", 7, "page", "team", parent_path="about") == [
        "id:7", "path:/about/team/", "page:about/team"
    ]
    assert keys.for_request("/about/team/", {}) == ["path:/about/team/", "page:about/team"]
    assert keys.for_request("/team/", {}) == ["path:/team/", "page:team", "slug:team"]


def test_endings_are_read_off():
    asked = keys.Request("/category/news/page/4/", {})
    assert asked.page_number == 4 and asked.keys[1] == "category:news"
    asked = keys.Request("/tag/x/feed/atom/", {})
    assert asked.feed and asked.keys == ["path:/tag/x/", "post_tag:x"]
    for path in ("/feed/", "/feed/rss2/", "/comments/feed/", "/feed/rdf"):
        assert keys.Request(path, {}).site_feed == "rss", path
    assert keys.Request("/feed/atom/", {}).site_feed == "atom"
    assert keys.Request("/", {"feed": "atom"}).site_feed == "atom"
    assert keys.Request("/page/3/", {}).front_page


@pytest.mark.parametrize("path", ["/" + "ا" * 5000 + "/", "/a\x00b/", "/%2e%2e/", "/../etc/passwd", "", "/"])
def test_hostile_or_empty_paths_give_no_keys(path):
    assert keys.for_request(path, {}) == []
