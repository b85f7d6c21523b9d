"""Every WordPress export in the shared test data is imported with nothing lost silently, or refused with a clear message.

For each file the table says what it holds (counted by hand from the XML, and
checked against the reader's own count) and what Minbar makes of it. Counts
differ only where Minbar says why in the report: trashed posts, pingbacks,
comments of posts that are not imported or of pages.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from minbar.comments.models import Comment
from minbar.core.text import plain_text
from minbar.imports.models import ImportRecord
from minbar.legacy.models import LegacyAddress
from minbar.newsroom.models import ArticlePage, Author, SimplePage
from minbar.wordpress import importer, wxr

from .support import WXR_DIR

pytestmark = pytest.mark.django_db

# file: ((posts, pages, attachments, comments, replies, authors, categories, tags) in the file,
#        (articles, live articles, pages, comments, replies, authors) in Minbar after the import)
IMPORTED = [
    ("e2e-fixtures/wxr-base-url-rewriting.xml", (1, 0, 0, 0, 0, 1, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("e2e-fixtures/wxr-comprehensive.xml", (1, 1, 0, 1, 0, 2, 2, 2), (1, 1, 1, 1, 0, 2)),
    ("e2e-fixtures/wxr-css-urls.xml", (1, 0, 0, 0, 0, 1, 1, 0), (1, 1, 0, 0, 0, 1)),
    ("e2e-fixtures/wxr-simple.xml", (1, 0, 0, 0, 0, 1, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("phpunit-data/a11y-unit-test-data.xml", (48, 17, 39, 29, 9, 0, 27, 61), (48, 46, 16, 25, 9, 3)),  # two pages share ID 156
    ("phpunit-data/authors-multiline.xml", (1, 0, 0, 0, 0, 3, 0, 0), (1, 1, 0, 0, 0, 3)),
    ("phpunit-data/backslashes.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 0)),
    ("phpunit-data/blank-lines.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 0)),
    ("phpunit-data/cdata-edge.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 0)),
    ("phpunit-data/chunked-meta.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 0)),
    ("phpunit-data/crazy-cdata-escaped.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("phpunit-data/large-authors.xml", (0, 0, 0, 0, 0, 300, 0, 0), (0, 0, 0, 0, 0, 300)),
    ("phpunit-data/missing-tags.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 0)),
    ("phpunit-data/multiple-cdata.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 1, 0, 0, 0, 0)),
    ("phpunit-data/namespace-edge-cases.xml", (5, 0, 0, 0, 0, 2, 2, 0), (5, 5, 0, 0, 0, 2)),
    ("phpunit-data/post-content-blank-lines.xml", (1, 0, 0, 0, 0, 1, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("phpunit-data/slashes.xml", (1, 0, 0, 1, 0, 1, 1, 1), (1, 1, 0, 1, 0, 2)),
    ("phpunit-data/small-export.xml", (6, 5, 0, 1, 0, 3, 30, 3), (6, 6, 5, 1, 0, 3)),
    ("phpunit-data/term-formats.xml", (0, 0, 0, 0, 0, 0, 2, 3), (0, 0, 0, 0, 0, 0)),
    ("phpunit-data/term-meta.xml", (0, 0, 0, 0, 0, 0, 1, 0), (0, 0, 0, 0, 0, 0)),
    ("phpunit-data/test-serialized-comment-meta.xml", (1, 0, 0, 1, 0, 0, 0, 0), (1, 0, 0, 1, 0, 1)),
    ("phpunit-data/test-serialized-postmeta-no-cdata.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 0, 0, 0, 0, 1)),
    ("phpunit-data/test-serialized-postmeta-with-cdata.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 0, 0, 0, 0, 1)),
    ("phpunit-data/test-serialized-term-meta.xml", (1, 0, 0, 0, 0, 0, 1, 1), (1, 0, 0, 0, 0, 1)),
    ("phpunit-data/test-utw-post-meta-import.xml", (1, 0, 0, 0, 0, 0, 0, 0), (1, 0, 0, 0, 0, 1)),
    ("phpunit-data/theme-unit-test-data.xml", (58, 21, 37, 33, 10, 2, 69, 110), (58, 56, 21, 24, 9, 3)),
    ("phpunit-data/valid-wxr-1.0.xml", (3, 3, 0, 1, 0, 0, 5, 4), (3, 3, 3, 1, 0, 1)),
    ("phpunit-data/valid-wxr-1.1.xml", (1, 1, 0, 1, 0, 1, 1, 1), (1, 1, 1, 1, 0, 1)),
    ("phpunit-data/wxr-flat-attachment-different-site.xml", (1, 0, 1, 0, 0, 1, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("phpunit-data/wxr-flat-attachment-same-site.xml", (1, 0, 1, 0, 0, 1, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("phpunit-data/wxr-simple.xml", (1, 0, 0, 0, 0, 1, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("phpunit-data/wxr-utf-8-challenges.xml", (1, 0, 0, 0, 0, 1, 0, 0), (1, 1, 0, 0, 0, 1)),
    ("phpunit-data/wxr-with-sub-data.xml", (1, 0, 0, 1, 0, 0, 0, 0), (1, 1, 0, 1, 0, 1)),
]

# Refused files: (line of the reason, words of the message).
REFUSED = {
    "phpunit-data/crazy-cdata.xml": (18, 'not well-formed'),
    "phpunit-data/invalid-version-tag.xml": (33, 'Unknown WXR version'),
    "phpunit-data/malformed-simple.xml": (14, 'not well-formed'),
    "phpunit-data/malformed.xml": (90, 'not well-formed'),
    "phpunit-data/missing-version-tag.xml": (35, 'no WXR version'),
}


def test_every_file_is_in_one_table_or_the_other():
    files = {str(path.relative_to(WXR_DIR)) for path in WXR_DIR.glob("*/*.xml")}
    assert files == {name for name, _, _ in IMPORTED} | set(REFUSED)


@pytest.mark.parametrize(("name", "held", "made"), IMPORTED, ids=[row[0].split("/")[-1] for row in IMPORTED])
def test_file_is_imported_and_accounted_for(name, held, made, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    path = WXR_DIR / name
    census = wxr.census(path)
    assert (
        census.items.get("post", 0), census.items.get("page", 0), census.items.get("attachment", 0),
        census.comments, census.replies, census.authors,
        census.terms.get("category", 0), census.terms.get("post_tag", 0),
    ) == held
    report = importer.import_wordpress(path)
    articles = ArticlePage.objects
    assert (
        articles.count(), articles.live().count(), SimplePage.objects.count(),
        Comment.objects.count(), Comment.objects.exclude(parent=None).count(), Author.objects.count(),
    ) == made
    counts = report.counts
    # Every comment of the file is either in Minbar or counted in the report with its reason.
    assert (
        counts["comments.created"] + counts["comments.skipped"] + counts["comments.on_pages"]
        + counts["comments.of_skipped_items"]
    ) == census.comments
    # Every post and page is imported or counted as skipped.
    assert counts["posts.created"] + counts["pages.created"] + counts["items.skipped"] + census.items.get(
        "attachment", 0
    ) == census.total_items
    assert ImportRecord.objects.count() == made[0] + made[2]
    # Every imported article can be reached from its old ID.
    for record in ImportRecord.objects.all():
        assert LegacyAddress.objects.filter(key=f"id:{record.external_key.split(':')[1]}", page=record.page).exists()


def test_running_a_file_again_changes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    path = WXR_DIR / "phpunit-data/theme-unit-test-data.xml"
    importer.import_wordpress(path)
    before = (ArticlePage.objects.count(), Comment.objects.count(), SimplePage.objects.count(), Author.objects.count())
    report = importer.import_wordpress(path)
    assert report.counts["posts.created"] == 0 and report.counts["comments.created"] == 0
    assert report.counts["posts.unchanged"] == before[0]
    assert (ArticlePage.objects.count(), Comment.objects.count(), SimplePage.objects.count(), Author.objects.count()) == before


@pytest.mark.parametrize(("name", "expected"), sorted(REFUSED.items()))
def test_bad_files_are_refused_with_line_and_reason_and_nothing_is_written(name, expected):
    line, words = expected
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import_wordpress", str(WXR_DIR / name), stdout=out, stderr=err)
    message = str(refused.value)
    assert f"line {line}, column" in message and words in message and "nothing was saved" in message
    assert refused.value.returncode == 2
    assert not ArticlePage.objects.exists() and not Author.objects.exists() and not LegacyAddress.objects.exists()


def test_the_refusal_is_translated():
    with translation.override("ar"), pytest.raises(CommandError) as refused:
        call_command("import_wordpress", str(WXR_DIR / "phpunit-data/malformed.xml"), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert "nothing was saved" not in str(refused.value)
    assert "90" in str(refused.value)


def test_arabic_bidi_and_zero_width_text_survives(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    importer.import_wordpress(WXR_DIR / "phpunit-data/wxr-utf-8-challenges.xml")
    article = ArticlePage.objects.get()
    # Title: bidi overrides and embeddings exactly where the writer put them.
    assert article.title == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a\U0001f332\u202c'
    text = plain_text(article.body)
    assert "السلام عليكم وﷲ" in text  # Arabic, with the ligature of Allah (U+FDF2)
    assert "\u200c\u200b\u200d\u200ein a yel\u202dlow wo\u202eod,\u202c" in text  # zero-width and bidi inside words
    assert "T\u0337\u0322\u032f\u032d\u0308w" in text  # combining marks kept in order
    assert "\U0001d4e3\U0001d4ee\U0001d4fc\U0001d4fd" in text  # astral-plane letters
    assert "\u202eخدسنگ\u202c" in article.summary
    page = client.get(article.url).content.decode()
    assert "السلام عليكم وﷲ" in page
    # The author login with zero-width characters is one author, named as exported.
    assert Author.objects.get().name == "admin\u200c\u200b\u200d\u200e" or Author.objects.count() == 1
