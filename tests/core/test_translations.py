"""Every interface string is translated, and no page leaks another language.

The seed page shows what must never happen: an Arabic page saying
"Subscribe", "guest", "Oldest", "Most Voted", "Inline Feedbacks" and
"Article Rating".
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

import minbar

PACKAGE = Path(minbar.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
LANGUAGES = ["ar", "ckb", "en"]


def _po(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _catalog(language):
    return _read_catalog(_po(language))


def _read_catalog(path):
    """(msgctxt, msgid) → msgstr, normalised by GNU gettext's msgcat."""
    result = subprocess.run(["msgcat", "--no-wrap", "--sort-output", str(path)], capture_output=True, text=True, check=True)
    entries, current = {}, {}
    for line in result.stdout.splitlines() + [""]:
        if not line.strip():
            if current.get("msgid"):
                entries[(current.get("msgctxt"), current["msgid"])] = current.get("msgstr", "")
            current = {}
            continue
        match = re.match(r'^(msgctxt|msgid|msgstr(?:\[0\])?) "(.*)"$', line)
        if match:
            key = "msgstr" if match.group(1).startswith("msgstr") else match.group(1)
            current[key] = match.group(2).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            current["_last"] = key
        elif line.startswith('"') and "_last" in current:
            current[current["_last"]] += line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_untranslated_or_fuzzy_entries(language):
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check", "-o", "/dev/null", str(_po(language))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(language, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(_po(language))], check=True)
    assert compiled.read_bytes() == (_po(language).with_suffix(".mo")).read_bytes(), (
        f"{language}: django.mo is stale; run `make messages`"
    )


def test_catalogs_hold_every_string_in_the_code(tmp_path):
    """Extract strings from a copy of the code and compare with the committed catalog."""
    copy = tmp_path / "minbar"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run(
        [str(django_admin), "makemessages", "--locale", "en", "--no-obsolete", "--ignore", "demo/content/*"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "minbar.settings.test"},
    )
    extracted = set(_read_catalog(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = set(_catalog("en"))
    missing = sorted(msgid for _, msgid in extracted - committed)
    assert not missing, f"strings missing from the catalogs (run `make messages`): {missing[:20]}"


# --- Rendered pages ---------------------------------------------------------

URL = re.compile(r"https?://\S+")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
# Names of formats and products that stay as they are in every language.
UNTRANSLATABLE = {"RSS", "Atom"}
ATTRIBUTES_READ = ("title", "aria-label", "placeholder", "alt")


def _interface_text(html, interface_language, content_strings):
    """Visible text and readable attributes that belong to the interface, not to content.

    Content is whatever carries a `lang` of its own (articles, titles, names,
    teasers), plus strings the site's owner typed (site name, tagline).
    """
    tree = lxml_html.fromstring(html)
    for element in tree.xpath("//script|//style|//template|//noscript/link"):
        element.drop_tree()
    # <bdi> isolates text of unknown direction: what the reader typed, or a URL.
    for element in tree.xpath("//body//bdi"):
        element.drop_tree()
    for element in tree.xpath("//body//*[@lang]"):
        if element.get("lang") != interface_language:
            element.drop_tree()
    texts = [text for text in tree.xpath("//body//text()")]
    for attribute in ATTRIBUTES_READ:
        texts += tree.xpath(f"//body//@{attribute}")
    texts += tree.xpath("//body//input[@type='submit' or @type='button']/@value")
    texts += tree.xpath("//head/title/text()")
    joined = "\n".join(texts)
    for content in sorted(content_strings, key=len, reverse=True):
        joined = joined.replace(content, " ")
    return URL.sub(" ", joined)


def _differing_translations(language, other):
    """Translations of `other` that `language` renders differently (so must never show in it)."""
    mine, theirs = _catalog(language), _catalog(other)
    return {
        theirs[key]
        for key in theirs
        if theirs[key] and key in mine and mine[key] != theirs[key] and len(theirs[key]) > 3
    }


@pytest.fixture
def reader_urls(db):
    from minbar.core.models import SiteSettings
    from tests.factories import make_article, make_author, make_image, make_section, make_series

    section = make_section("مقالات رأي")
    author = make_author(name="دلشاد يوسف")
    organization = make_author(name="جمعية المدينة", kind="organization")
    series = make_series()
    first = make_article(
        section,
        authors=[author, organization],
        series=series,
        part_number=1,
        tags=["الحسكة"],
        cover_image=make_image(),
    )
    make_article(section, authors=[author], series=series, part_number=2, live=False)
    make_article(section, title="مقال آخر", authors=[author], tags=["الحسكة"])
    from taggit.models import Tag

    settings_row = SiteSettings.load()
    # What editors typed: it shows in <title>, where no lang attribute can mark it.
    content = {settings_row.site_name, settings_row.tagline, settings_row.publisher_name} - {""}
    content |= {section.title, author.name, organization.name, series.title, first.title, first.part_label, "الحسكة"}
    urls = [
        "/",
        section.url,
        first.url,
        author.get_absolute_url(),
        organization.get_absolute_url(),
        series.get_absolute_url(),
        f"/tag/{Tag.objects.get().slug}/",
        "/search/?q=%D8%AF%D8%A7%D8%B9%D8%B4",
        "/no-such-page/",
    ]
    return urls, content


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_reader_pages_show_no_interface_text_of_another_language(client, reader_urls, language):
    urls, content = reader_urls
    prefix = "" if language == "ar" else f"/{language}"
    foreign = set()
    for other in LANGUAGES:
        if other != language:
            foreign |= _differing_translations(language, other)
    for url in urls:
        response = client.get(prefix + url)
        assert response.status_code in (200, 404), url
        text = _interface_text(response.content.decode(), language, content)
        if language == "en":
            assert not ARABIC_SCRIPT.search(text), f"{prefix + url}: Arabic-script interface text: {text!r}"
        else:
            latin = {word for word in LATIN_WORD.findall(text) if word not in UNTRANSLATABLE}
            assert not latin, f"{prefix + url}: untranslated English {sorted(latin)}"
        leaked = sorted(string for string in foreign if string in text)
        assert not leaked, f"{prefix + url}: text of another language: {leaked}"
