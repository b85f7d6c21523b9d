"""Our own WordPress export says what its description says, and the benchmark generator writes what it is asked for.

If the fixture and arabic-news-site.md drift apart, every importer test that
trusts the description would test the wrong thing; these tests catch the drift.
"""

import importlib.util
import re
import time
from pathlib import Path

import lxml.etree as etree
import pytest
from PIL import Image

from .support import ARABIC_SITE, ARABIC_SITE_NOTES, MISSING_UPLOAD, make_uploads

NAMESPACES = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "wxr_generate.py"


@pytest.fixture(scope="module")
def site():
    return etree.parse(str(ARABIC_SITE))


def notes_table(heading):
    """Rows (lists of cell texts, backticks kept) of the first table under `## heading` in the .md."""
    text = ARABIC_SITE_NOTES.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    # The table's XPaths use no "|" of their own, so a plain split is enough.
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows[2:]]


def unquoted(cell):
    return cell.strip().strip("`")


def text_of(node, path):
    return node.findtext(path, namespaces=NAMESPACES) or ""


def test_every_count_in_the_description_is_what_the_file_holds(site):
    rows = notes_table("Counts")
    assert len(rows) >= 30
    for what, xpath, count in rows:
        found = site.xpath(f"count({unquoted(xpath)})", namespaces=NAMESPACES)
        assert int(found) == int(count), f"{what}: the file holds {int(found)}, the description says {count}"


def test_the_items_table_lists_every_item_with_its_kind_and_status(site):
    described = {int(row[0]): (row[1], row[2], row[3]) for row in notes_table("Items")}
    in_file = {
        int(text_of(item, "wp:post_id")): (text_of(item, "wp:post_type"), text_of(item, "wp:status"), item.findtext("title"))
        for item in site.iter("item")
    }
    assert described == in_file


def test_the_comments_table_lists_every_comment_with_its_post_parent_and_status(site):
    described = {}
    for row in notes_table("Comments"):
        parent = 0 if row[2] == "–" else int(row[2])
        described[int(row[0])] = (int(row[1]), parent, row[3], row[4])
    in_file = {}
    for item in site.iter("item"):
        for comment in item.iterfind("wp:comment", NAMESPACES):
            in_file[int(text_of(comment, "wp:comment_id"))] = (
                int(text_of(item, "wp:post_id")),
                int(text_of(comment, "wp:comment_parent")),
                text_of(comment, "wp:comment_approved"),
                text_of(comment, "wp:comment_type"),
            )
    assert described == in_file


def test_the_channel_is_an_arabic_wxr_1_2_site(site):
    channel = site.find("channel")
    assert channel.findtext("link") == "https://example-news.test/"
    assert channel.findtext("language") == "ar"
    assert text_of(channel, "wp:wxr_version") == "1.2"
    assert text_of(channel, "wp:base_site_url") == "https://example-news.test"


def test_wpdiscuz_meta_is_written_the_way_wpdiscuz_writes_it(site):
    votes = site.xpath(
        "//wp:comment[wp:comment_id = '1001']/wp:commentmeta[wp:meta_key = 'wpdiscuz_votes_seperate']/wp:meta_value/text()",
        namespaces=NAMESPACES,
    )
    assert votes == ['a:2:{s:4:"like";i:7;s:7:"dislike";i:2;}']
    post = site.xpath("//item[wp:post_id = '206']", namespaces=NAMESPACES)[0]
    meta = {text_of(m, "wp:meta_key"): text_of(m, "wp:meta_value") for m in post.iterfind("wp:postmeta", NAMESPACES)}
    assert (meta["wpdiscuz_post_rating"], meta["wpdiscuz_post_rating_count"]) == ("4.3", "12")
    body = text_of(post, "content:encoded")
    feedback_ids = re.findall(r'\[wpdiscuz-feedback id="([^"]+)"', body)
    answered = site.xpath("//wp:commentmeta[wp:meta_key = 'wpdiscuz_feedback_form_id']/wp:meta_value/text()", namespaces=NAMESPACES)
    assert sorted(feedback_ids) == sorted(answered) == ["p2v7rd", "xm4k9q"]
    assert re.search(r"\[wpdiscuz-feedback [^\]]*\][^\[]*<strong>", body)


def test_make_uploads_writes_every_attached_file_but_the_one_meant_to_be_missing(site, tmp_path):
    uploads = make_uploads(tmp_path)
    attached = site.xpath("//item[wp:post_type = 'attachment']/wp:postmeta[wp:meta_key = '_wp_attached_file']/wp:meta_value/text()",
                          namespaces=NAMESPACES)
    assert MISSING_UPLOAD in attached
    assert any(not name.isascii() for name in attached)  # one Arabic file name
    for name in attached:
        assert (uploads / name).exists() == (name != MISSING_UPLOAD), name
    # The posts' HTML also points at a resized copy, as WordPress bodies do.
    with Image.open(uploads / "2024/04/water-tank-300x200.png") as medium:
        assert medium.size == (300, 200)
    with Image.open(uploads / "2024/03/نافورة-الساحة.jpg") as fountain:
        assert fountain.format == "JPEG"


def load_generator():
    spec = importlib.util.spec_from_file_location("wxr_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_writes_exactly_the_posts_and_comments_asked_for(tmp_path):
    generator = load_generator()
    out = tmp_path / "bench.xml"
    started = time.perf_counter()
    summary = generator.generate(out, posts=200, comments=2000)
    assert time.perf_counter() - started < 10  # about 0.1 s; the 20,000-post file must take under a minute
    tree = etree.parse(str(out))  # well-formed

    def count(xpath):
        return int(tree.xpath(f"count({xpath})", namespaces=NAMESPACES))

    assert count("//item[wp:post_type = 'post']") == count("//item") == summary.posts == 200
    assert count("//wp:comment") == summary.comments == 2000
    assert count("//wp:comment[wp:comment_parent != '0']") == summary.replies > 0
    assert count("//wp:category") == 30 and count("//wp:category[wp:category_parent != '']") == 24
    assert count("//wp:tag") == 500
    assert count("//wp:author") > 2
    for status in ("publish", "draft", "pending", "future", "private", "trash"):
        assert count(f"//item[wp:status = '{status}']") == summary.statuses[status] > 0, status
    assert count("//item[wp:status = 'publish']") > 150
    assert count("//item[contains(content:encoded, '<!-- wp:paragraph -->')]") > 0  # Gutenberg
    assert count("//item[not(contains(content:encoded, '<!-- wp:'))]") > 0  # classic
    assert count("//item[contains(content:encoded, '[wpdiscuz-feedback ')]") > 0
    assert count("//wp:comment[wp:commentmeta/wp:meta_key = 'wpdiscuz_feedback_form_id']") > 0
    assert count("//wp:commentmeta[wp:meta_key = 'wpdiscuz_votes_seperate']") > 0
    assert 60 < count("//item[wp:postmeta/wp:meta_key = 'wpdiscuz_post_rating']") < 140
    assert count("//item[contains(title, '(ج1)')]") > 0
    assert count("//wp:comment[wp:comment_type = 'pingback']") == summary.pingbacks


def test_generated_threads_stay_within_depth_four_and_reply_to_earlier_comments(tmp_path):
    out = tmp_path / "bench.xml"
    load_generator().generate(out, posts=200, comments=2000)
    deepest = 0
    for item in etree.parse(str(out)).iter("item"):
        depth = {}
        for comment in item.iterfind("wp:comment", NAMESPACES):
            parent = text_of(comment, "wp:comment_parent")
            depth[text_of(comment, "wp:comment_id")] = 1 if parent == "0" else depth[parent] + 1  # KeyError: not earlier
        deepest = max([deepest, *depth.values()])
    assert deepest == 4


def test_published_posts_have_dated_permalinks_with_their_percent_encoded_arabic_slug(tmp_path):
    out = tmp_path / "bench.xml"
    load_generator().generate(out, posts=50, comments=100)
    tree = etree.parse(str(out))
    published = tree.xpath("//item[wp:status = 'publish']", namespaces=NAMESPACES)
    assert published
    for item in published:
        slug = text_of(item, "wp:post_name")
        assert slug.startswith("%d") and len(slug) <= 200
        assert re.fullmatch(rf"https://bench-news\.test/\d{{4}}/\d\d/\d\d/{re.escape(slug)}/", item.findtext("link"))


def test_the_generator_is_deterministic(tmp_path):
    generator = load_generator()
    generator.generate(tmp_path / "a.xml", posts=30, comments=300)
    generator.generate(tmp_path / "b.xml", posts=30, comments=300)
    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.xml").read_bytes()
