"""`import_jsonl`: good lines become live articles, bad lines are reported by number,
and running it again changes only what changed."""

import datetime
import zoneinfo
from urllib.parse import unquote

import pytest
from django.utils import translation
from taggit.models import Tag
from wagtail.models import Page
from wagtail.signals import page_published

from minbar.arabic import slugify
from minbar.imports import messages
from minbar.imports.management.commands.import_jsonl import SHOWN_PROBLEMS
from minbar.imports.models import ImportRecord
from minbar.newsroom.models import ArticlePage, Author, SectionPage
from minbar.newsroom.signals import articles_imported

from .support import FOOTBALL, KURDISH, LIBRARY, NO_ID, run_import, sample_lines, write_jsonl

pytestmark = pytest.mark.django_db

BAGHDAD = zoneinfo.ZoneInfo("Asia/Baghdad")


def english(message, **params):
    with translation.override("en"):
        return message % params if params else str(message)


def skipped(number, message, **params):
    return english(messages.SKIPPED_LINE, line=number, reason=english(message, **params))


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_bytes(sample_lines())
    return path


def article(title):
    return ArticlePage.objects.get(title=title)


def test_good_lines_become_live_articles_and_bad_lines_are_reported_by_number(sample):
    status, out, err = run_import(sample)

    assert ArticlePage.objects.live().count() == 4
    assert english(messages.SUMMARY, created=4, updated=0, unchanged=0, skipped=8) in out
    assert english(messages.NEW_SECTIONS_AND_AUTHORS, sections=4, authors=2) in out
    expected = [
        skipped(6, messages.INVALID_UTF8, position=30),
        skipped(7, messages.INVALID_JSON, position=len('{"id": "zh-7", "title": "خبر ناقص"') + 1),
        skipped(8, messages.NOT_AN_OBJECT),
        skipped(9, messages.MISSING_FIELD, field="body"),
        skipped(10, messages.BAD_DATE, value="أمس مساء"),
        skipped(11, messages.UNKNOWN_LANGUAGE, value="fr", choices="ar, ckb, en"),
        skipped(12, messages.TOO_LONG, field="title", limit=255),
        skipped(13, messages.DUPLICATE, line=1),
    ]
    report_lines = out.splitlines()[2:]
    assert report_lines == expected
    # Some lines skipped: the exit status says so, and the rest was imported.
    assert status == 1
    assert english(messages.SOME_LINES_SKIPPED, count=8) in err


def test_a_clean_file_exits_with_zero(tmp_path):
    status, out, _ = run_import(write_jsonl(tmp_path / "clean.jsonl", [LIBRARY, FOOTBALL]))
    assert status == 0
    assert english(messages.SUMMARY, created=2, updated=0, unchanged=0, skipped=0) in out


def test_sections_and_authors_are_created_once_and_found_again(sample, tmp_path):
    run_import(sample)
    culture = SectionPage.objects.get(title="ثقافة")
    # category_ar names the section, category gives its address.
    assert culture.slug == "culture" and culture.live
    assert culture.get_parent().specific_class.__name__ == "HomePage"
    assert SectionPage.objects.get(title="هەواڵ").slug == slugify("هەواڵ")
    writer = Author.objects.get(name="سلمى درويش")
    assert writer.slug == slugify("سلمى درويش")
    assert [author.name for author in article(LIBRARY["title"]).authors] == ["سلمى درويش"]
    assert [author.name for author in article(FOOTBALL["title"]).authors] == ["سلمى درويش"]

    more = dict(FOOTBALL, id="zh-20", title="الفريق نفسه يستعد لبطولة المحافظة")
    run_import(write_jsonl(tmp_path / "more.jsonl", [more]))
    assert SectionPage.objects.filter(title="رياضة").count() == 1
    assert Author.objects.filter(name="سلمى درويش").count() == 1
    assert article(more["title"]).get_parent().pk == SectionPage.objects.get(title="رياضة").pk


def test_dates_and_languages(sample):
    run_import(sample, "--language", "en")
    library = article(LIBRARY["title"])
    assert library.first_published_at == datetime.datetime(2023, 4, 2, 9, 15, tzinfo=datetime.UTC)
    # A date alone is midnight, and a time without offset is local, in the site's time zone.
    assert article(FOOTBALL["title"]).first_published_at == datetime.datetime(2023, 4, 3, tzinfo=BAGHDAD)
    kurdish = article(KURDISH["title"])
    assert kurdish.first_published_at == datetime.datetime(2023, 4, 4, 8, 30, tzinfo=BAGHDAD)
    assert kurdish.language == "ckb" and kurdish.direction == "rtl"
    assert kurdish.kind == "report" and kurdish.summary == KURDISH["summary"]
    # Lines without a language take --language; without a kind they are news.
    assert library.language == "en" and library.kind == "news"
    assert sorted(library.tags.names()) == sorted(LIBRARY["tags"])
    # No date: published when imported.
    assert article(NO_ID["title"]).first_published_at.date() == datetime.date.today()


def test_the_article_page_shows_the_paragraphs(client, sample):
    run_import(sample)
    library = article(LIBRARY["title"])
    assert unquote(library.url) == "/culture/" + slugify(LIBRARY["title"]) + "/"
    response = client.get(library.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<p>افتتحت البلدية صباح اليوم مكتبة عامة جديدة في حي الزهور.</p>" in html
    assert "<p>وتضم المكتبة ألفي كتاب للأطفال والكبار، وقاعة للمطالعة.</p>" in html
    assert LIBRARY["title"] in html and "سلمى درويش" in html
    section_page = client.get("/culture/").content.decode()
    assert LIBRARY["title"] in section_page


def test_the_page_tree_stays_consistent(sample, tmp_path):
    run_import(sample)
    more = [dict(FOOTBALL, id=f"zh-{number}", title=f"خبر رياضي رقم {number}") for number in range(30, 40)]
    run_import(write_jsonl(tmp_path / "more.jsonl", more))
    assert Page.find_problems() == ([], [], [], [], [])
    sport = SectionPage.objects.get(title="رياضة")
    assert sport.numchild == sport.get_children().count() == 11
    paths = list(ArticlePage.objects.values_list("path", flat=True))
    assert len(paths) == len(set(paths))


def test_running_again_creates_nothing_new(sample):
    run_import(sample)
    counts = (Page.objects.count(), Author.objects.count(), Tag.objects.count(), ImportRecord.objects.count())
    status, out, _ = run_import(sample)
    assert english(messages.SUMMARY, created=0, updated=0, unchanged=4, skipped=8) in out
    assert english(messages.NEW_SECTIONS_AND_AUTHORS, sections=0, authors=0) in out
    assert (Page.objects.count(), Author.objects.count(), Tag.objects.count(), ImportRecord.objects.count()) == counts


def test_a_changed_line_updates_its_article_and_keeps_its_address(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [LIBRARY, FOOTBALL])
    run_import(path)
    before = article(LIBRARY["title"])
    changed = dict(
        LIBRARY,
        title="افتتاح مكتبة عامة ثانية في حي الزهور",
        body="افتتحت البلدية مكتبة ثانية.\nوستفتح أبوابها كل يوم.",
        author="يوسف حداد",
        tags=["مكتبات"],
    )
    status, out, _ = run_import(write_jsonl(path, [changed, FOOTBALL]))

    assert status == 0
    assert english(messages.SUMMARY, created=0, updated=1, unchanged=1, skipped=0) in out
    after = ArticlePage.objects.get(pk=before.pk)
    assert after.title == changed["title"] and after.live
    assert str(after.body) == "<p>افتتحت البلدية مكتبة ثانية.</p><p>وستفتح أبوابها كل يوم.</p>"
    assert after.url == before.url
    assert [author.name for author in after.authors] == ["يوسف حداد"]
    assert list(after.tags.names()) == ["مكتبات"]
    assert after.last_published_at > before.last_published_at
    assert after.first_published_at == before.first_published_at
    assert ArticlePage.objects.count() == 2


def test_an_article_an_editor_changed_is_left_alone(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [LIBRARY])
    run_import(path)
    draft = article(LIBRARY["title"])
    draft.body = "<p>نص كتبه محرر ولم ينشره بعد.</p>"
    draft.save_revision()

    status, out, _ = run_import(write_jsonl(path, [dict(LIBRARY, body="نص جديد من المصدر.")]))
    assert status == 1
    assert skipped(1, messages.EDITED_SINCE_IMPORT) in out
    latest = ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert str(latest.body) == "<p>نص كتبه محرر ولم ينشره بعد.</p>"


def test_dry_run_reads_and_reports_but_writes_nothing(sample):
    pages, authors = Page.objects.count(), Author.objects.count()
    status, out, _ = run_import(sample, "--dry-run")
    assert (Page.objects.count(), Author.objects.count(), ImportRecord.objects.count()) == (pages, authors, 0)
    assert english(messages.DRY_RUN_SUMMARY, created=4, updated=0, unchanged=0, skipped=8) in out
    assert english(messages.NEW_SECTIONS_AND_AUTHORS, sections=4, authors=2) in out
    assert skipped(7, messages.INVALID_JSON, position=len('{"id": "zh-7", "title": "خبر ناقص"') + 1) in out
    assert status == 1


def test_limit_reads_the_first_lines_only(sample):
    run_import(sample, "--limit", "2")
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == sorted([LIBRARY["title"], FOOTBALL["title"]])


def test_slugs_are_unique_among_siblings(tmp_path):
    first = dict(FOOTBALL, id="a", title="مباراة الأحد")
    second = dict(FOOTBALL, id="b", title="مباراة الأحد")
    wordless = dict(FOOTBALL, id="c", title="!!! ؟؟؟")
    run_import(write_jsonl(tmp_path / "same.jsonl", [first, second, wordless]))
    slugs = set(ArticlePage.objects.values_list("slug", flat=True))
    base = slugify("مباراة الأحد")
    assert {base, f"{base}-2"} < slugs
    (fallback,) = slugs - {base, f"{base}-2"}
    assert fallback.startswith("article-")
    for page in ArticlePage.objects.all():
        assert page.url and "//" not in page.url


def test_missing_section_without_default_is_reported(tmp_path):
    line = {"id": "x", "title": "خبر بلا قسم", "body": "نص."}
    path = write_jsonl(tmp_path / "nosection.jsonl", [line])
    status, out, _ = run_import(path)
    assert skipped(1, messages.NO_SECTION) in out and status == 1
    status, out, _ = run_import(path, "--section", "منوعات", "--default-author", "فريق التحرير")
    assert status == 0
    imported = article("خبر بلا قسم")
    assert imported.get_parent().title == "منوعات"
    assert [author.name for author in imported.authors] == ["فريق التحرير"]


def test_article_without_author_has_no_byline(client, tmp_path):
    run_import(write_jsonl(tmp_path / "anonymous.jsonl", [NO_ID]))
    imported = article(NO_ID["title"])
    assert imported.authors == []
    html = client.get(imported.url).content.decode()
    assert 'rel="author"' not in html


def test_body_text_is_escaped_and_html_is_cleaned(tmp_path):
    plain = dict(FOOTBALL, id="p", title="معادلة بسيطة", body="إذا كان أ < ب & ب < ج\n<فقرة بين قوسين>")
    markup = dict(
        FOOTBALL,
        id="h",
        title="نص بتنسيق",
        body='<p>فقرة <strong>بارزة</strong> و<a href="https://example.org/" onclick="steal()">رابط</a>'
        '<a href="javascript:steal()">خطر</a></p><script>steal()</script><h1>عنوان فرعي</h1><p style="x">ختام</p>',
    )
    run_import(write_jsonl(tmp_path / "bodies.jsonl", [plain, markup]))
    assert str(article("معادلة بسيطة").body) == "<p>إذا كان أ &lt; ب &amp; ب &lt; ج</p><p>&lt;فقرة بين قوسين&gt;</p>"
    body = str(article("نص بتنسيق").body)
    assert "<b>بارزة</b>" in body and '<a href="https://example.org/">رابط</a>' in body
    assert "<h2" in body and "عنوان فرعي" in body and "ختام" in body
    for unsafe in ("script", "steal", "onclick", "style", "javascript"):
        assert unsafe not in body


def test_control_characters_are_dropped(tmp_path):
    line = dict(FOOTBALL, id="nul", title="عنوان\u0000 فيه\u0007 رموز", body="سطر أول\u0000\r\nسطر ثان\u001b")
    status, _, _ = run_import(write_jsonl(tmp_path / "controls.jsonl", [line]))
    assert status == 0
    imported = ArticlePage.objects.get(slug=slugify("عنوان فيه رموز"))
    assert imported.title == "عنوان فيه رموز"
    assert str(imported.body) == "<p>سطر أول</p><p>سطر ثان</p>"


def test_the_report_lists_fifty_skipped_lines_and_counts_the_rest(tmp_path):
    bad = [b"{not json"] * (SHOWN_PROBLEMS + 3)
    status, out, _ = run_import(write_jsonl(tmp_path / "bad.jsonl", bad))
    listed = [line for line in out.splitlines() if line.startswith("line ")]
    assert len(listed) == SHOWN_PROBLEMS
    with translation.override("en"):
        assert messages.MORE_SKIPPED % {"count": 3} in out
    assert "… and 3 more skipped lines." in out


def test_a_missing_file_is_reported_with_its_own_exit_status(tmp_path):
    status, out, err = run_import(tmp_path / "absent.jsonl")
    assert status == 2
    assert str(tmp_path / "absent.jsonl") in err
    assert out == ""


def test_imported_articles_are_announced_once_not_published_one_by_one(sample):
    announced, published = [], []

    def on_import(sender, page_ids, **kwargs):
        announced.append(list(page_ids))

    def on_publish(sender, instance, **kwargs):
        published.append(instance.pk)

    articles_imported.connect(on_import)
    page_published.connect(on_publish, sender=ArticlePage)
    try:
        run_import(sample)
        run_import(sample)  # nothing new: nothing announced
    finally:
        articles_imported.disconnect(on_import)
        page_published.disconnect(on_publish, sender=ArticlePage)
    assert len(announced) == 1
    assert sorted(announced[0]) == sorted(ArticlePage.objects.values_list("pk", flat=True))
    assert published == []


def test_readers_cached_pages_are_dropped_after_an_import(sample):
    from minbar.core import page_cache

    before = page_cache.current_generations([page_cache.SITE])
    run_import(sample)
    assert page_cache.current_generations([page_cache.SITE]) != before


def test_the_admin_finds_imported_articles(sample, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(sample)
    found = list(ArticlePage.objects.search("مكتبة"))
    assert article(LIBRARY["title"]) in found


def test_source_names_keep_unrelated_files_apart(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [LIBRARY])
    run_import(path)
    status, out, _ = run_import(path, "--source", "another-agency")
    assert status == 0
    assert english(messages.SUMMARY, created=1, updated=0, unchanged=0, skipped=0) in out
    assert ImportRecord.objects.filter(external_key=LIBRARY["id"]).count() == 2
    status, _, err = run_import(path, "--source", "x" * 51)
    assert status == 1 and english(messages.BAD_SOURCE_NAME, limit=50) in err
