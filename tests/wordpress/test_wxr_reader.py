"""The WXR reader: what it finds in every shared WordPress export, what it refuses, and at what cost.

The expected numbers below were counted from the XML by hand and with grep
(`<wp:author>`, `<wp:category>`, `<wp:tag>`, `<wp:term>` by taxonomy,
`<item>` by post type, `<wp:comment>`, non-zero `<wp:comment_parent>`), not
by this reader. Where grep and the XML disagree, the comment next to the row
says why.
"""

import tracemalloc
from collections import Counter
from datetime import datetime

import pytest
from django.utils import translation

from minbar.wordpress import wxr
from minbar.wordpress.records import Author, Item, Site, Term, WXRError

from .support import WXR_DIR

# file: (version, authors, {taxonomy: channel terms}, {post_type: items}, comments, replies)
READABLE = {
    "e2e-fixtures/wxr-base-url-rewriting.xml": ("1.2", 1, {}, {"post": 1}, 0, 0),
    "e2e-fixtures/wxr-comprehensive.xml": ("1.2", 2, {"category": 2, "post_tag": 2}, {"post": 1, "page": 1}, 1, 0),
    "e2e-fixtures/wxr-css-urls.xml": ("1.2", 1, {"category": 1}, {"post": 1}, 0, 0),
    "e2e-fixtures/wxr-simple.xml": ("1.2", 1, {}, {"post": 1}, 0, 0),
    # One <item> (line 679) has no <wp:post_type>: WordPress's default, a post.
    "phpunit-data/a11y-unit-test-data.xml": (
        "1.2", 0, {"category": 27, "post_tag": 61, "nav_menu": 5},
        {"post": 48, "page": 17, "attachment": 39, "nav_menu_item": 50}, 29, 9,
    ),
    # grep finds 4 <wp:author>: the fourth is an item's <wp:author>alice</wp:author>, not an author.
    "phpunit-data/authors-multiline.xml": ("1.2", 3, {}, {"post": 1}, 0, 0),
    "phpunit-data/backslashes.xml": ("1.2", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/blank-lines.xml": ("1.2", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/cdata-edge.xml": ("1.2", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/chunked-meta.xml": ("1.2", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/crazy-cdata-escaped.xml": ("1.1", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/large-authors.xml": ("1.2", 300, {}, {}, 0, 0),
    "phpunit-data/missing-tags.xml": ("1.2", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/multiple-cdata.xml": ("1.2", 0, {}, {"post": 1}, 0, 0),
    # By namespace, not by prefix: authors at lines 24 (export/1.2/) and 31 (wp2 = export/1.1/);
    # line 17 (fake namespace) and 38 (custom) are not WordPress's. Terms at 116 (export/1.0/) and 131.
    # Items 1, 2 (default namespace), 3, 4, 6; item 5 (line 94) has its wp: hijacked: no post ID.
    "phpunit-data/namespace-edge-cases.xml": ("1.2", 2, {"category": 2}, {"post": 5}, 0, 0),
    "phpunit-data/post-content-blank-lines.xml": ("1.1", 1, {}, {"post": 1}, 0, 0),
    "phpunit-data/slashes.xml": ("1.1", 1, {"category": 1, "post_tag": 1}, {"post": 1}, 1, 0),
    "phpunit-data/small-export.xml": ("1.1", 3, {"category": 30, "post_tag": 3}, {"post": 6, "page": 5}, 1, 0),
    "phpunit-data/term-formats.xml": (
        "1.2", 0, {"category": 2, "post_tag": 3, "custom-taxonomy": 1, "nav_menu": 1}, {}, 0, 0,
    ),
    "phpunit-data/term-meta.xml": ("1.2", 0, {"category": 1}, {}, 0, 0),
    "phpunit-data/test-serialized-comment-meta.xml": ("1.0", 0, {}, {"post": 1}, 1, 0),
    "phpunit-data/test-serialized-postmeta-no-cdata.xml": ("1.0", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/test-serialized-postmeta-with-cdata.xml": ("1.0", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/test-serialized-term-meta.xml": (
        "1.0", 0, {"category": 1, "post_tag": 1, "custom_taxonomy": 1}, {"post": 1}, 0, 0,
    ),
    "phpunit-data/test-utw-post-meta-import.xml": ("1.0", 0, {}, {"post": 1}, 0, 0),
    "phpunit-data/theme-unit-test-data.xml": (
        "1.2", 2, {"category": 69, "post_tag": 110, "nav_menu": 6},
        {"post": 58, "page": 21, "attachment": 37, "nav_menu_item": 70}, 33, 10,
    ),
    "phpunit-data/valid-wxr-1.0.xml": ("1.0", 0, {"category": 5, "post_tag": 4}, {"post": 3, "page": 3}, 1, 0),
    "phpunit-data/valid-wxr-1.1.xml": (
        "1.1", 1, {"category": 1, "post_tag": 1, "post_tax": 1}, {"post": 1, "page": 1}, 1, 0,
    ),
    "phpunit-data/wxr-flat-attachment-different-site.xml": ("1.2", 1, {}, {"post": 1, "attachment": 1}, 0, 0),
    "phpunit-data/wxr-flat-attachment-same-site.xml": ("1.2", 1, {}, {"post": 1, "attachment": 1}, 0, 0),
    "phpunit-data/wxr-simple.xml": ("1.2", 1, {}, {"post": 1}, 0, 0),
    "phpunit-data/wxr-utf-8-challenges.xml": ("1.2", 1, {}, {"post": 1}, 0, 0),
    "phpunit-data/wxr-with-sub-data.xml": ("1.1", 0, {"custom_tax": 1}, {"post": 1}, 1, 0),
}

# file: (line, column, words the reason must contain)
REFUSED = {
    # `]]>` closes the CDATA early; the second `]]>` on line 18, column 70, is then bare text.
    "phpunit-data/crazy-cdata.xml": (18, 70, ["not well-formed", "]]>"]),
    # <notachanneltag> (line 27) is closed by </channel> on line 90.
    "phpunit-data/malformed.xml": (90, 11, ["not well-formed", "notachanneltag"]),
    # The <item> of line 9 is never closed; the file ends on line 14.
    "phpunit-data/malformed-simple.xml": (14, 1, ["not well-formed", "item"]),
    "phpunit-data/invalid-version-tag.xml": (33, 1, ["Unknown WXR version", "“abc”", "1.0, 1.1 and 1.2"]),
    # The first <wp:category> (line 35) comes and no <wp:wxr_version> came before it.
    "phpunit-data/missing-version-tag.xml": (35, 1, ["no WXR version"]),
}


@pytest.fixture(autouse=True)
def english():
    # The reasons are checked in the words of the msgids; the site's own default language is Arabic.
    with translation.override("en"):
        yield


def test_the_tables_cover_every_shared_file():
    on_disk = {
        f"{folder}/{path.name}"
        for folder in ("phpunit-data", "e2e-fixtures")
        for path in (WXR_DIR / folder).glob("*.xml")
    }
    assert on_disk == set(READABLE) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(READABLE))
def test_census_and_read_count_what_the_file_holds(name):
    version, authors, terms, items, comments, replies = READABLE[name]
    path = WXR_DIR / name

    census = wxr.census(path)
    assert (census.version, census.authors, census.terms, census.items, census.comments, census.replies) == (
        version, authors, terms, items, comments, replies,
    )

    records = list(wxr.read(path))
    assert isinstance(records[0], Site) and records[0].version == version
    assert not any(isinstance(record, Site) for record in records[1:])
    found_items = [record for record in records if isinstance(record, Item)]
    found_comments = [comment for item in found_items for comment in item.comments]
    assert sum(isinstance(record, Author) for record in records) == authors
    assert Counter(record.taxonomy for record in records if isinstance(record, Term)) == Counter(terms)
    assert Counter(item.post_type for item in found_items) == Counter(items)
    assert len(found_comments) == comments
    assert sum(1 for comment in found_comments if comment.parent_id) == replies

    # Pass 1 hands the importer every attachment, as pass 2 will read it but without comments.
    attachments = [item for item in found_items if item.post_type == "attachment"]
    assert sorted(census.attachments) == sorted(item.wp_id for item in attachments)
    for item in attachments:
        kept = census.attachments[item.wp_id]
        assert (kept.attachment_url, kept.meta, kept.comments) == (item.attachment_url, item.meta, ())


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_broken_files_are_refused_with_their_place_and_a_reason(name):
    line, column, words = REFUSED[name]
    with pytest.raises(WXRError) as refused:
        wxr.census(WXR_DIR / name)
    error = refused.value
    assert (error.line, error.column) == (line, column)
    for word in words:
        assert word in error.reason
    assert str(error).startswith(f"{line}:{column}: ")

    # The second pass refuses the same way instead of yielding half a file as if it were whole.
    with pytest.raises(WXRError) as again:
        list(wxr.read(WXR_DIR / name))
    assert (again.value.line, again.value.reason) == (line, error.reason)


def test_the_reason_is_in_the_importing_persons_language():
    with translation.override("ar"), pytest.raises(WXRError) as refused:
        wxr.census(WXR_DIR / "phpunit-data/invalid-version-tag.xml")
    assert refused.value.reason.startswith("إصدار WXR غير معروف")
    assert "abc" in refused.value.reason


def test_an_item_whose_wp_namespace_is_hijacked_is_listed_not_read():
    path = WXR_DIR / "phpunit-data/namespace-edge-cases.xml"
    assert wxr.census(path).items_without_id == [94]
    records = list(wxr.read(path))
    assert [record.login for record in records if isinstance(record, Author)] == ["real_user", "version_conflict"]
    items = {record.wp_id: record for record in records if isinstance(record, Item)}
    assert sorted(items) == [1, 2, 3, 4, 6]
    # The postmeta that redeclares wp: as another namespace is not WordPress's meta.
    assert items[1].meta == (("normal_key", "normal_value"),)
    # A CDATA section is text: entity names in it stay as written.
    assert items[6].content == "&lol1;" * 10


def test_arabic_bidi_and_invisible_characters_come_out_exactly():
    records = list(wxr.read(WXR_DIR / "phpunit-data/wxr-utf-8-challenges.xml"))
    site, author, item = records
    assert site.title == "My WordPress Website \U0001f680 \u202e\u202d\u0645\u0631\u062d\u0628\u0627"
    assert site.description == "Site with \u00a0\u200b\u2060\ufeff invisible chars and \ufffd replacement"
    assert author.login == "admin\u200c\u200b\u200d\u200e"  # zero-width characters are not whitespace
    assert author.first_name == "\U0001f170\ufe0f"
    assert item.title == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a\U0001f332\u202c'
    assert item.creator == author.login
    assert item.post_name == "hello-w\u202eorld\u202c-utf8-\U0001f4ab-test"
    assert item.content.startswith("<!-- wp:paragraph -->\n<p>T\u0337\u0322\u032f\u032d\u0308w")
    assert "\u200c\u200b\u200d\u200ein a yel\u202dlow wo\u202eod,\u202c<br>&#x200B;And s\u2063o\u2064r" in item.content
    assert "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645 \u0648\ufdf2\n" in item.content
    assert item.content.endswith("</p>\n<!-- /wp:paragraph -->")
    assert "\u202e\u062e\u062f\u0633\u0646\u06af\u202c" in item.excerpt
    [term] = item.terms
    assert (term.taxonomy, term.slug) == ("category", "uncat\u202eegorized\u202c")
    assert term.name.endswith(" \U0001f3ad")
    assert item.meta_value("_pingme\u200c\u200b\u200d\u200e") == "1\u200b\u200d\u200c\u200e"
    # Inside CDATA a character reference is text, not a character.
    assert item.meta_value("_special_chars") == "&#x202E;&#x202D;&#x200B;&#x200C;&#x200D;&#x2060;&#xFEFF;&#xFFFD;"
    assert item.date == datetime(2024, 6, 5, 16, 4, 48)
    assert item.modified_gmt == datetime(2024, 6, 10, 12, 28, 55)


def _item(name):
    [item] = [record for record in wxr.read(WXR_DIR / name) if isinstance(record, Item)]
    return item


def test_cdata_edge_cases_give_the_exact_text():
    assert _item("phpunit-data/cdata-edge.xml").content == "ends with sequence ]] >"
    # Three CDATA sections in a row are one text; the newlines around them are the content's own.
    assert _item("phpunit-data/multiple-cdata.xml").content == "\nline oneline twoline three\n"
    # The way WordPress escapes "]]>" inside content: split into two sections.
    assert _item("phpunit-data/crazy-cdata-escaped.xml").content == "Content with nested <![CDATA[ tags ]]> :)"
    # Inner blank lines and indentation are content.
    assert _item("phpunit-data/post-content-blank-lines.xml").content == (
        "This is an example of a WordPress post.\n\t\tIt has lines with text (and one blank line).\n\n"
        "And more lines with text."
    )


def test_serialized_meta_decodes_to_python_values():
    shrug = "\u00af\\_(\u30c4)_/\u00af"
    with_cdata = _item("phpunit-data/test-serialized-postmeta-with-cdata.xml")
    assert wxr.php_value(with_cdata.meta_value("post-options")) == {"special_post_title": "A special title", "is_calendar": ""}
    assert wxr.php_value(with_cdata.meta_value("array")) == {"key": shrug}
    assert wxr.php_value(with_cdata.meta_value("array-nested")) == {"key": {"foo": shrug, "bar": "\\o/"}}
    assert wxr.php_value(with_cdata.meta_value("string")) == shrug
    assert wxr.php_value(with_cdata.meta_value("evil")) == "<wp:meta_value>evil</wp:meta_value>"

    without_cdata = _item("phpunit-data/test-serialized-postmeta-no-cdata.xml")
    assert wxr.php_value(without_cdata.meta_value("post-options"))["special_post_title"] == "A special title"

    [comment] = _item("phpunit-data/test-serialized-comment-meta.xml").comments
    assert wxr.php_value(comment.meta_value("array")) == {"key": shrug}

    terms = [record for record in wxr.read(WXR_DIR / "phpunit-data/test-serialized-term-meta.xml") if isinstance(record, Term)]
    assert [wxr.php_value(dict(term.meta)["array"]) for term in terms] == [{"key": shrug}] * 3

    # PHP objects (Ultimate Tag Warrior's stdClass) are not decoded into anything: the raw text comes back.
    raw = _item("phpunit-data/test-utw-post-meta-import.xml").meta_value("test")
    assert raw.startswith('a:13:{i:0;O:8:"stdClass"') and wxr.php_value(raw) == raw


@pytest.mark.parametrize(
    "raw, value",
    [
        ('a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}', {"like": 3, "dislike": 1}),
        # Lengths are in UTF-8 bytes; keys 0..n-1 make a list.
        ('a:3:{i:0;s:1:"a";i:1;s:4:"\u0628\u0628";i:2;b:1;}', ["a", "\u0628\u0628", True]),
        ('a:2:{i:1;s:1:"a";i:2;s:1:"b";}', {1: "a", 2: "b"}),
        ('s:39:"a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}";', {"like": 3, "dislike": 1}),  # serialized twice
        ("i:-4;", -4),
        ("d:4.5;", 4.5),
        ("4.5", "4.5"),
        ("", ""),
        ("\u0645\u0642\u0627\u0644 \u0639\u0627\u062f\u064a", "\u0645\u0642\u0627\u0644 \u0639\u0627\u062f\u064a"),
        ('a:2:{s:4:"like";i:3;s:9:"dislike";i:1;}', 'a:2:{s:4:"like";i:3;s:9:"dislike";i:1;}'),  # wrong length
        ('a:2:{s:4:"like";i:3;', 'a:2:{s:4:"like";i:3;'),  # cut short
        ('O:8:"stdClass":1:{s:1:"a";i:1;}', 'O:8:"stdClass":1:{s:1:"a";i:1;}'),  # objects refused
    ],
)
def test_php_value(raw, value):
    assert wxr.php_value(raw) == value


def test_double_serialization_is_undone_at_most_twice():
    thrice = 's:47:"s:39:"a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}";";'
    # Two layers come off; what is left is returned as the text it is.
    assert wxr.php_value(thrice) == 'a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}'


HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="https://wordpress.org/export/1.2/">
<channel>
<title>  موقع الأخبار\u00a0</title>
<link>https://news.example/</link>
<language>ar</language>
<wp:wxr_version> 1.2 </wp:wxr_version>
<wp:base_site_url>https://news.example</wp:base_site_url>
"""
FOOTER = "</channel>\n</rss>\n"


def _write(tmp_path, body, header=HEADER):
    path = tmp_path / "export.xml"
    path.write_text(header + body + FOOTER, encoding="utf-8")
    return path


def test_fields_dates_numbers_and_lines(tmp_path):
    path = _write(tmp_path, """<wp:author><wp:author_id>7</wp:author_id><wp:author_login><![CDATA[ سارة ]]></wp:author_login>
<wp:author_display_name><![CDATA[سارة أحمد]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1</wp:category_nicename>
<wp:category_parent>world</wp:category_parent><wp:cat_name><![CDATA[أخبار]]></wp:cat_name></wp:category>
<wp:term><wp:term_id></wp:term_id><wp:term_taxonomy>series</wp:term_taxonomy><wp:term_slug>water</wp:term_slug>
<wp:term_name>الماء</wp:term_name><wp:termmeta><wp:meta_key>order</wp:meta_key><wp:meta_value> 2 </wp:meta_value></wp:termmeta></wp:term>
<item>
<title> عنوان  </title>
<dc:creator> سارة </dc:creator>
<content:encoded><![CDATA[  <p>نص</p>
]]></content:encoded>
<wp:post_id> 42 </wp:post_id>
<wp:post_date>2024-03-01 08:15:00</wp:post_date>
<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
<wp:post_modified>yesterday</wp:post_modified>
<wp:post_modified_gmt></wp:post_modified_gmt>
<wp:status> draft </wp:status>
<wp:post_type>post</wp:post_type>
<wp:post_parent></wp:post_parent>
<wp:menu_order>-1</wp:menu_order>
<wp:is_sticky>1</wp:is_sticky>
<category domain="series" nicename="water"><![CDATA[الماء]]></category>
<category><![CDATA[Old]]></category>
<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_date>2024-03-02 09:00:00</wp:comment_date>
<wp:comment_date_gmt>2024-13-45 99:00:00</wp:comment_date_gmt><wp:comment_approved>spam</wp:comment_approved>
<wp:comment_parent>²</wp:comment_parent><wp:comment_user_id>99999999999999999999</wp:comment_user_id>
<wp:commentmeta><wp:meta_key>wpdiscuz_votes</wp:meta_key><wp:meta_value>-2</wp:meta_value></wp:commentmeta>
</wp:comment>
</item>
""")
    site, author, category, series, item = wxr.read(path)
    assert site == Site(
        version="1.2", title="موقع الأخبار\u00a0", link="https://news.example/", language="ar",
        base_site_url="https://news.example",
    )
    assert (author.line, author.wp_id, author.login, author.display_name) == (11, 7, "سارة", "سارة أحمد")
    assert (category.line, category.taxonomy, category.slug, category.parent_slug, category.name, category.wp_id) == (
        13, "category", "%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1", "world", "أخبار", 3,
    )
    assert (series.taxonomy, series.slug, series.name, series.wp_id, series.meta) == (
        "series", "water", "الماء", None, (("order", " 2 "),),
    )
    assert item.line == 17 and item.wp_id == 42
    assert item.title == " عنوان  " and item.creator == "سارة" and item.status == "draft"
    assert item.content == "  <p>نص</p>\n"
    assert item.date == datetime(2024, 3, 1, 8, 15)
    assert (item.date_gmt, item.modified, item.modified_gmt) == (None, None, None)
    assert (item.parent_id, item.menu_order, item.is_sticky) == (0, -1, True)
    assert [(term.taxonomy, term.slug, term.name) for term in item.terms] == [
        ("series", "water", "الماء"),
        ("category", "Old", "Old"),  # WXR 1.0: no domain is a category, no nicename makes the name the slug
    ]
    [comment] = item.comments
    assert (comment.wp_id, comment.approved, comment.date, comment.date_gmt) == (
        5, "spam", datetime(2024, 3, 2, 9), None,
    )
    assert (comment.parent_id, comment.user_id, comment.meta_value("wpdiscuz_votes")) == (0, 0, "-2")


def test_wxr_1_0_double_terms_are_read_once():
    items = {item.wp_id: item for item in wxr.read(WXR_DIR / "phpunit-data/valid-wxr-1.0.xml") if isinstance(item, Item)}
    terms = [(term.taxonomy, term.slug) for term in items[4].terms]
    assert terms == [("category", "alpha"), ("post_tag", "news"), ("post_tag", "roar")]


def test_site_comes_before_everything_even_without_content(tmp_path):
    assert list(wxr.read(_write(tmp_path, ""))) == [
        Site(version="1.2", title="موقع الأخبار\u00a0", link="https://news.example/", language="ar",
             base_site_url="https://news.example"),
    ]
    census = wxr.census(_write(tmp_path, ""))
    assert (census.version, census.total_items, census.authors) == ("1.2", 0, 0)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("", None, ["empty"]),
        ("  \n", 2, ["not well-formed"]),
        ('<?xml version="1.0"?>\n<html><body/></html>', 2, ["not a WordPress export", "<rss>"]),
        ('<?xml version="1.0"?>\n<rss version="2.0">\n<title/>\n</rss>', None, ["not a WordPress export", "<channel>"]),
        # An ordinary RSS feed, not an export.
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel>\n<title>Feed</title>\n<item><title>a</title></item>\n'
         "</channel></rss>", 4, ["no WXR version"]),
        (HEADER.replace("<wp:wxr_version> 1.2 </wp:wxr_version>", "<wp:wxr_version>1.3</wp:wxr_version>")
         + FOOTER, 9, ["“1.3”"]),
        (HEADER.replace("<wp:wxr_version> 1.2 </wp:wxr_version>", "<wp:wxr_version>" + "<b>" * 3 + "</wp:wxr_version>")
         + FOOTER, 9, ["not well-formed"]),
        (HEADER.replace("<wp:wxr_version> 1.2 </wp:wxr_version>", "<wp:wxr_version>" + "9" * 500 + "</wp:wxr_version>")
         + FOOTER, 9, ["Unknown WXR version"]),
        # An HTML entity WordPress would never write unescaped: its place, not a bare "no element found".
        (HEADER + "<item><title>&nbsp;</title></item>" + FOOTER, 11, ["not well-formed", "nbsp"]),
    ],
)
def test_other_refusals(tmp_path, text, line, words):
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WXRError) as refused:
        wxr.census(path)
    assert refused.value.line == line
    for word in words:
        assert word in refused.value.reason
    assert len(refused.value.reason) < 300  # a quoted value is shortened, not pasted whole


BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
EXTERNAL_ENTITY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
"""


@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_a_doctype_declaring_entities_is_refused_before_anything_is_expanded(tmp_path, doctype):
    body = "<item><title>&lol9;&secret;</title><wp:post_id>1</wp:post_id><content:encoded>&lol9;</content:encoded></item>\n"
    header = doctype + HEADER.split("\n", 1)[1]
    path = _write(tmp_path, body, header=header)
    for read_whole_file in (wxr.census, lambda path: list(wxr.read(path))):
        with pytest.raises(WXRError) as refused:
            read_whole_file(path)
        assert "entities" in refused.value.reason


def _generated_export(path, items):
    paragraph = "<p>" + "فقرة من نص المقال " * 40 + "</p>\n"
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for number in range(1, items + 1):
            out.write(
                f"<item><title>مقال {number}</title><wp:post_id>{number}</wp:post_id>"
                f"<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
                f"<content:encoded><![CDATA[{paragraph * 3}]]></content:encoded>"
                f"<wp:postmeta><wp:meta_key>views</wp:meta_key><wp:meta_value>{number}</wp:meta_value></wp:postmeta>"
            )
            for reply in range(3):
                out.write(
                    f"<wp:comment><wp:comment_id>{number * 10 + reply}</wp:comment_id>"
                    f"<wp:comment_content><![CDATA[{paragraph}]]></wp:comment_content>"
                    f"<wp:comment_parent>{number * 10 if reply else 0}</wp:comment_parent></wp:comment>"
                )
            out.write("</item>\n")
        out.write(FOOTER)
    return path


def _peak_while_reading(path):
    items = 0
    tracemalloc.start()
    try:
        for record in wxr.read(path):
            items += isinstance(record, Item)
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_however_long_the_file(tmp_path):
    small = _generated_export(tmp_path / "small.xml", 100)
    large = _generated_export(tmp_path / "large.xml", 2000)
    assert large.stat().st_size > 7 * 1024 * 1024

    small_items, small_peak = _peak_while_reading(small)
    large_items, large_peak = _peak_while_reading(large)
    assert (small_items, large_items) == (100, 2000)
    # 20 times the file, not 20 times the memory: only the item at hand is held.
    assert large_peak < small_peak * 2 + 512 * 1024
    census = wxr.census(large)
    assert (census.items, census.comments, census.replies) == ({"post": 2000}, 6000, 4000)

    # libxml2's own tree is outside tracemalloc's sight: what is read is also dropped from the tree.
    widest = 0
    for kind, element in wxr._records(large):
        if kind == "item":
            widest = max(widest, len(element.getparent()))
    assert widest < 10
