"""Import a WordPress export (WXR) into Minbar: authors, sections, tags, series, articles, pages, images,
comments, votes, ratings, passage questions and the old addresses.

The file is read twice. The first pass (`wxr.census`) checks the whole file
and counts it, so a malformed file is refused before anything is written and
the progress bar knows its total. The second pass streams it: authors and
terms come first in a WordPress export, then items; posts are written in
batches of `BATCH_SIZE`, each batch in one transaction with its comments, so
an interrupted run keeps what it wrote and the next run carries on.

Every object is remembered by its WordPress ID (posts and pages in
`imports.ImportRecord`, the rest in `WordPressObject`): running the same
export again creates nothing twice, updates what changed and leaves alone
what an editor has changed in Minbar since.

A dry run does all of it inside one transaction that is rolled back, so its
counts are exactly what a real run would do; it copies no image file.
"""

import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_lazy, pgettext
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Revision

from minbar.arabic import normalize, slugify
from minbar.arabic.normalize import is_sorani
from minbar.core import page_cache
from minbar.core.text import plain_text
from minbar.imports.items import clean_text, one_line
from minbar.imports.mapping import HomePageMissing, insert_pages, place_children, unique_slug
from minbar.imports.models import ImportRecord
from minbar.newsroom.models import (
    ArticleAuthor,
    ArticleKind,
    ArticlePage,
    ArticleTag,
    Author,
    ContentLanguage,
    HomePage,
    SectionPage,
    Series,
    SimplePage,
)
from minbar.newsroom.signals import articles_imported
from minbar.passages.services import sync_questions

from . import content, records, series as series_rules, wxr
from .models import ObjectKind, mapping, remember
from .report import ImportReport

# Posts per transaction: big enough to amortise the queries, small enough that
# SQLite is not held for long while the site serves readers.
BATCH_SIZE = 250
# Page ids per articles_imported signal (search index and read-also in the background).
ANNOUNCE_SIZE = 2000
# Raising it makes the next run update every post, for when the importer changes how it maps them.
FORMAT_VERSION = 1

CATEGORIES_AS_SECTIONS = "sections"
CATEGORIES_AS_TAGS = "tags"

# Post types that are not content of their own (menus, revisions, editor internals).
_SILENT_TYPES = {
    "revision", "nav_menu_item", "custom_css", "customize_changeset", "oembed_cache", "user_request",
    "wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation", "wp_font_family",
    "wp_font_face", "attachment",
}
_IMPORTED_STATUSES = {"publish", "draft", "pending", "future", "private"}
# Category names and slugs that mark opinion pieces (compared after Arabic normalisation).
_OPINION_WORDS = {
    normalize(word)
    for word in ("رأي", "آراء", "الرأي", "مقالات", "مقال", "كتاب", "أعمدة", "opinion", "opinions", "column",
                 "columns", "views", "بۆچوون", "وتار")
}
# A series whose newest part is older than this is taken as finished (no "to be continued").
SERIES_FINISHED_AFTER = timedelta(days=90)
_VALID_SLUG = re.compile(r"^[-\w]+$")
SLUG_LIMIT = 255
TITLE_LIMIT = 255
CAPTION_LIMIT = 300

UNTITLED = gettext_lazy("Untitled (WordPress ID %(id)s)")
NO_TITLE = gettext_lazy("An item had no title; it was given one.")
UNKNOWN_TYPE = gettext_lazy("Items of the kind “%(type)s” are not imported.")
NOT_IMPORTED_STATUS = gettext_lazy("Items with the status “%(status)s” are not imported.")
EDITED_SINCE = gettext_lazy("Changed in Minbar since the last import; left as it is.")
UNKNOWN_AUTHOR = gettext_lazy("The author “%(login)s” is not in the export's author list; created from the login.")
PART_TWICE = gettext_lazy("Two articles are part %(part)s of the series “%(series)s”.")
PENDING_REVIEW = gettext_lazy("Waiting for review in WordPress: imported as a draft.")
PAGE_PARENT_MISSING = gettext_lazy("The parent page is not in the export; the page was put under the home page.")
DUPLICATE_ID = gettext_lazy("Two items of the export have the same WordPress ID; only the first was imported.")
NO_HOME = gettext_lazy("The site has no home page yet; run “minbar manage migrate” first.")


def site_source(site: records.Site) -> str:
    """The key space of one WordPress site: "wordpress:" and its address (host and path), at most 50 characters."""
    address = site.base_site_url or site.base_blog_url or site.link or site.title
    parts = urllib.parse.urlsplit(address.strip())
    key = (parts.netloc + parts.path).rstrip("/").lower() or address.strip().lower() or "site"
    limit = ImportRecord._meta.get_field("source").max_length - len("wordpress:")
    if len(key) > limit:
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        key = f"{key[: limit - 13]}~{digest}"
    return f"wordpress:{key}"


def content_language(site_language: str, fallback: str) -> str:
    """ar, ckb or en from an export's <language> (ar, ar-SA, ckb, ku-IQ, en-US …)."""
    code = (site_language or "").strip().lower().replace("_", "-")
    if code.startswith("ckb") or code.startswith("ku"):
        return ContentLanguage.CENTRAL_KURDISH.value
    base = code.split("-")[0]
    return base if base in ContentLanguage.values else fallback


def decoded_slug(raw: str) -> str:
    """A WordPress slug as readers saw it: percent-decoded (Arabic slugs are stored encoded), lower case."""
    text = urllib.parse.unquote(raw or "", errors="replace").strip()
    # A slug cut at 200 bytes in the middle of a letter leaves a replacement character.
    return text.replace("\ufffd", "").lower()


def _default_language_url(url_of):
    """A site path in the default language (no /en/ prefix), whatever language the command runs in."""
    with translation.override(settings.LANGUAGE_CODE):
        return url_of()


def _fingerprint(*values) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, default=str).encode()).hexdigest()


def _aware(naive_gmt, naive_local):
    """An aware datetime from WordPress's GMT time, else its site-time one, else None."""
    if naive_gmt is not None:
        return naive_gmt.replace(tzinfo=timezone.get_fixed_timezone(0))
    if naive_local is not None:
        return timezone.make_aware(naive_local) if timezone.is_naive(naive_local) else naive_local
    return None


@dataclass
class _Post:
    """One WordPress post on its way into Minbar."""

    item: records.Item
    title: str
    status: str
    published_at: object
    section: SectionPage
    tags: list
    authors: list
    kind: str
    language: str
    body: str = ""
    summary: str = ""
    questions: list = field(default_factory=list)
    cover_id: int | None = None
    cover_caption: str = ""
    series: Series | None = None
    part: int | None = None

    @cached_property
    def fingerprint(self):
        item = self.item
        meta = {key: value for key, value in item.meta if not key.startswith("_edit_")}
        return _fingerprint(
            FORMAT_VERSION, item.title, item.content, item.excerpt, item.status, item.date, item.date_gmt,
            item.post_name, item.creator, item.comment_status, [(t.taxonomy, t.slug, t.name) for t in item.terms],
            sorted(meta.items()),
        )


class WordPressImport:
    """One run over one export. Use `import_wordpress()`."""

    def __init__(self, path, census, *, media_dir=None, dry_run=False, categories=CATEGORIES_AS_SECTIONS,
                 default_section="", progress=None):
        self.path = Path(path)
        self.census = census
        self.media_dir = Path(media_dir) if media_dir else None
        self.dry_run = dry_run
        self.categories = categories
        self.default_section_title = default_section
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run, version=census.version)
        self.home = HomePage.objects.first()
        if self.home is None:
            raise HomePageMissing()
        self.site = None
        self.source = ""
        self.language = settings.MINBAR_CONTENT_LANGUAGE
        self._authors_in_file = []
        self._terms = {}  # (taxonomy, decoded slug) → records.Term
        self._term_ids = {}  # (taxonomy, wp term id) → records.Term
        self._prepared = False
        self._seen_ids = set()
        self._posts = []
        self._pages = []
        self._authors = {}  # login → Author
        self._sections = {}  # category slug → SectionPage
        self._default_section = None
        self._tags = {}  # casefolded name → Tag
        self._series = {}  # key → Series
        self._series_parts = {}  # series pk → {part: wp id}
        self._section_child_slugs = {}  # section pk → slugs taken
        self._announce = []
        self._legacy = []
        self._wrote_anything = False

    # --- the run ----------------------------------------------------------------

    def run(self):
        for record in wxr.read(self.path):
            if isinstance(record, records.Site):
                self._start(record)
            elif isinstance(record, records.Author):
                self._authors_in_file.append(record)
            elif isinstance(record, records.Term):
                self._add_term(record)
            elif isinstance(record, records.Item):
                self._prepare()
                self._take(record)
                if self.progress is not None:
                    self.progress.advance()
        self._prepare()
        self._flush_posts()
        self._write_pages()
        self._finish_series()
        self._remember_term_addresses()
        self._remember_attachment_addresses()
        self._flush_legacy()
        return self.report

    def _start(self, site):
        self.site = site
        self.source = site_source(site)
        self.language = content_language(site.language, settings.MINBAR_CONTENT_LANGUAGE)
        from . import media  # the library needs the Site's addresses to recognise its image URLs

        base_urls = tuple(url for url in (site.base_site_url, site.base_blog_url, site.link) if url)
        self.media = media.MediaLibrary(
            self.source, self.media_dir, self.census.attachments, base_urls=base_urls, dry_run=self.dry_run
        )

    def _add_term(self, term):
        slug = decoded_slug(term.slug) or decoded_slug(term.name)
        self._terms.setdefault((term.taxonomy, slug), term)
        if term.wp_id is not None:
            self._term_ids[(term.taxonomy, term.wp_id)] = term

    def _prepare(self):
        """Once, before the first item: authors, and every image (posts name their cover before or after it)."""
        if self._prepared:
            return
        self._prepared = True
        if self.site is None:  # read() yields the Site first; a file without items still gets here
            self._start(records.Site(version=self.census.version))
        with transaction.atomic():
            self._write_authors()
        self.report.merge(self.media.import_all(), prefix="")

    def _take(self, item):
        if item.wp_id in self._seen_ids:
            # WordPress IDs are unique in a site; a second item with one is a broken export: the first one wins.
            self.report.warn(DUPLICATE_ID, wp_ids=item.wp_id)
            self.report.add("items.skipped")
            self.report.add("comments.of_skipped_items", len(item.comments))
            return
        self._seen_ids.add(item.wp_id)
        if item.post_type not in ("post", "page") or item.status not in _IMPORTED_STATUSES:
            # Comments follow their post: none of a post that is not imported.
            self.report.add("comments.of_skipped_items", len(item.comments))
        if item.post_type == "attachment":
            return  # written by the media library in _prepare
        if item.post_type not in ("post", "page"):
            if item.post_type not in _SILENT_TYPES:
                self.report.warn(UNKNOWN_TYPE, {"type": one_line(item.post_type)[:40]}, item.wp_id)
            self.report.add("items.skipped")
            return
        if item.status not in _IMPORTED_STATUSES:
            self.report.add("items.skipped")
            if item.status not in ("trash", "auto-draft", "inherit"):
                self.report.warn(NOT_IMPORTED_STATUS, {"status": one_line(item.status)[:40]}, item.wp_id)
            return
        if item.post_type == "page":
            self._pages.append(item)
            if item.comments:
                self.report.add("comments.on_pages", len(item.comments))
            return
        self._posts.append(item)
        if len(self._posts) >= BATCH_SIZE:
            self._flush_posts()

    # --- authors -------------------------------------------------------------------

    def _write_authors(self):
        known = mapping(self.source, ObjectKind.AUTHOR)
        existing = Author.objects.in_bulk([int(pk) for pk in known.values()])
        created = []
        for record in self._authors_in_file:
            login = one_line(record.login)[:150]
            if not login or login in self._authors:
                continue
            name = self._author_name(record)
            author = existing.get(known.get(login))
            if author is None:
                author = self._new_author(name, login)
                created.append((login, author.pk))
                self.report.add("authors.created")
            elif author.name != name and not self.dry_run:
                Author.objects.filter(pk=author.pk).update(name=name)
                self.report.add("authors.updated")
            else:
                self.report.add("authors.unchanged")
            self._authors[login] = author
            self._legacy_author(record.login, author, record.wp_id)
        remember(self.source, ObjectKind.AUTHOR, created)

    @staticmethod
    def _author_name(record):
        full = " ".join(part for part in (one_line(record.first_name), one_line(record.last_name)) if part)
        return (one_line(record.display_name) or full or one_line(record.login))[:200]

    def _new_author(self, name, login):
        base = (slugify(login, max_length=190) if _VALID_SLUG.match(login) else "") or slugify(name, max_length=190)
        base = base or "author"
        taken = set(Author.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        return Author.objects.create(name=name, slug=unique_slug(base, taken, base))

    def _author_for(self, login):
        login = one_line(login)[:150]
        if not login:
            return None
        if login not in self._authors:
            self.report.warn(UNKNOWN_AUTHOR, {"login": login[:40]})
            known = mapping(self.source, ObjectKind.AUTHOR, [login])
            author = Author.objects.filter(pk=known[login]).first() if login in known else None
            if author is None:
                author = self._new_author(login[:200], login)
                remember(self.source, ObjectKind.AUTHOR, [(login, author.pk)])
                self.report.add("authors.created")
            self._authors[login] = author
            self._legacy_author(login, author, None)
        return self._authors[login]

    # --- sections and tags ---------------------------------------------------------

    def _term(self, taxonomy, item_term):
        slug = decoded_slug(item_term.slug) or decoded_slug(item_term.name)
        return self._terms.get((taxonomy, slug)) or records.Term(
            line=0, taxonomy=taxonomy, slug=item_term.slug or item_term.name, name=item_term.name
        )

    def _primary_category(self, item):
        categories = item.terms_of("category")
        if not categories:
            return None, []
        primary = categories[0]
        # Yoast SEO stores the category an editor chose as the main one by its term ID.
        chosen = wxr.php_value(item.meta_value("_yoast_wpseo_primary_category", "") or "")
        if str(chosen).isdigit():
            term = self._term_ids.get(("category", int(chosen)))
            for candidate in categories:
                if term is not None and decoded_slug(candidate.slug) == decoded_slug(term.slug):
                    primary = candidate
        return primary, [category for category in categories if category is not primary]

    def _section_for(self, item_term):
        term = self._term("category", item_term)
        return self._section_of_term(term, depth=0)

    def _section_of_term(self, term, depth):
        slug = decoded_slug(term.slug) or decoded_slug(term.name)
        if slug in self._sections:
            return self._sections[slug]
        parent = self.home
        parent_slug = decoded_slug(term.parent_slug)
        if parent_slug and parent_slug != slug and depth < 20:
            parent_term = self._terms.get(("category", parent_slug))
            if parent_term is not None:
                parent = self._section_of_term(parent_term, depth + 1)
        known = mapping(self.source, ObjectKind.CATEGORY, [slug])
        section = SectionPage.objects.filter(pk=known[slug]).first() if slug in known else None
        if section is None:
            title = one_line(term.name)[:TITLE_LIMIT] or slug
            section = self._new_section(parent, title, slug, clean_text(term.description).strip())
            remember(self.source, ObjectKind.CATEGORY, [(slug, section.pk)])
        self._sections[slug] = section
        self._legacy.append(("term", "category", term.slug, term.wp_id, section.pk, ""))
        return section

    def _new_section(self, parent, title, slug, description=""):
        taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
        wanted = slug if _VALID_SLUG.match(slug or "") else slugify(title)
        section = SectionPage(title=title, slug=unique_slug(wanted[:SLUG_LIMIT], taken, "section"), description=description)
        parent.add_child(instance=section)
        section.save_revision().publish()
        self.report.add("sections.created")
        return section

    def _fallback_section(self):
        """Where posts go when categories become tags (or a post has none and no section exists)."""
        if self._default_section is None:
            with translation.override(self.language):
                title = self.default_section_title or pgettext("section of imported posts", "Archive")
            existing = SectionPage.objects.child_of(self.home).filter(title=title).first()
            self._default_section = existing or self._new_section(self.home, title, slugify(title))
        return self._default_section

    def _tag(self, name):
        name = one_line(name)[:100]
        if not name:
            return None
        folded = name.casefold()
        if folded not in self._tags:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name)
                self.report.add("tags.created")
            self._tags[folded] = tag
        return self._tags[folded]

    # --- series --------------------------------------------------------------------

    def _series_of(self, item, title):
        """(Series, part, title without marker) from Organize Series data, else from a marker in the title."""
        for term in item.terms_of("series"):
            part = series_rules.organize_series_part(item.meta_value("_series_part"))
            if part:
                key = "term:" + (decoded_slug(term.slug) or decoded_slug(term.name))
                found = self._terms.get(("series", decoded_slug(term.slug)))
                name = one_line((found or term).name) or title
                description = clean_text(found.description).strip() if found else ""
                return self._series_for(key, name, description, term.slug), part, title
        marker = series_rules.part_marker(title)
        if marker is not None:
            # Two writers may each run a series of the same name: the writer is part of what makes one series.
            key = f"title:{one_line(item.creator)[:60]}:{series_rules.series_key(marker.title)}"
            return self._series_for(key, marker.title, "", ""), marker.part, marker.title
        return None, None, title

    def _series_for(self, key, title, description, old_slug):
        key = key[:255]
        if key not in self._series:
            known = mapping(self.source, ObjectKind.SERIES, [key])
            found = Series.objects.filter(pk=known[key]).first() if key in known else None
            if found is None:
                base = slugify(title) or "series"
                taken = set(Series.objects.filter(slug__startswith=base).values_list("slug", flat=True))
                found = Series.objects.create(
                    title=title[:TITLE_LIMIT], slug=unique_slug(base, taken, base), description=description
                )
                remember(self.source, ObjectKind.SERIES, [(key, found.pk)])
                self.report.add("series.created")
            self._series[key] = found
            if old_slug:
                self._legacy.append(("term", "series", old_slug, None, None, _default_language_url(found.get_absolute_url)))
        return self._series[key]

    def _finish_series(self):
        """Series whose newest part is long past are finished: no "to be continued" under it."""
        if not self._series:
            return
        cutoff = timezone.now() - SERIES_FINISHED_AFTER
        for found in self._series.values():
            newest = (
                ArticlePage.objects.filter(series=found).order_by("-first_published_at")
                .values_list("first_published_at", flat=True).first()
            )
            if newest is not None and newest < cutoff and not found.is_complete:
                Series.objects.filter(pk=found.pk).update(is_complete=True)

    # --- posts ---------------------------------------------------------------------

    def _flush_posts(self):
        if not self._posts:
            return
        items, self._posts = self._posts, []
        with transaction.atomic():
            self._write_posts(items)
        if len(self._announce) >= ANNOUNCE_SIZE:
            self._announce_pages()

    def _write_posts(self, items):
        from .discussion import DiscussionWriter

        records_by_key = {
            record.external_key: record
            for record in ImportRecord.objects.filter(
                source=self.source, external_key__in=[f"post:{item.wp_id}" for item in items]
            )
        }
        new, changed, unchanged = [], [], []
        for item in items:
            post = self._post(item)
            record = records_by_key.get(f"post:{item.wp_id}")
            if record is None:
                new.append(post)
            elif record.content_hash == post.fingerprint:
                unchanged.append((post, record))
            else:
                changed.append((post, record))
        self.report.add("posts.unchanged", len(unchanged))
        written = self._create_posts(new) + self._update_posts(changed)
        pages = written + [(post, record.page_id) for post, record in unchanged]
        # Comments of unchanged posts may have changed (new replies, moderation): the writer skips what is the same.
        outcome = DiscussionWriter(self.source).write([(post.item, page_id) for post, page_id in pages])
        self.report.merge(outcome, prefix="")
        for post, page_id in pages:
            self._legacy.append(("item", post.item, page_id))
        self._announce += [page_id for post, page_id in written if post.status in ("publish", "private")]
        self._wrote_anything = self._wrote_anything or bool(written)
        if len(self._legacy) >= 5000:
            self._flush_legacy()

    def _post(self, item):
        title = one_line(item.title)[:TITLE_LIMIT]
        if not title:
            title = str(UNTITLED % {"id": item.wp_id})
            self.report.warn(NO_TITLE, wp_ids=item.wp_id)
        primary, other_categories = self._primary_category(item)
        if self.categories == CATEGORIES_AS_TAGS or primary is None:
            section = self._fallback_section()
            tag_terms = item.terms_of("category")
        else:
            section = self._section_for(primary)
            tag_terms = other_categories
        tag_terms = tag_terms + item.terms_of("post_tag")
        tags = [tag for tag in (self._tag(term.name or decoded_slug(term.slug)) for term in tag_terms) if tag]
        authors = [author for author in [self._author_for(item.creator)] if author]
        series, part, title = self._series_of(item, title)
        converted = content.convert(item.content, image_for=self.media.image_for)
        for warning in converted.warnings:
            message, params = (tuple(warning) + ({},))[:2]
            self.report.warn(message, params, item.wp_id)
        cover_id, caption = self.media.cover_for(item)
        published_at = _aware(item.date_gmt, item.date)
        post = _Post(
            item=item,
            title=title,
            status=item.status,
            published_at=published_at,
            section=section,
            tags=list({tag.pk: tag for tag in tags}.values()),
            authors=authors,
            kind=self._kind_of(item),
            language=self._language_of(title, item.content),
            body=converted.body,
            summary=one_line(plain_text(item.excerpt))[:1000] if item.excerpt.strip() else "",
            questions=list(converted.questions),
            cover_id=cover_id,
            cover_caption=one_line(caption)[:CAPTION_LIMIT],
            series=series,
            part=part if series else None,
        )
        if series is not None:
            seen = self._series_parts.setdefault(series.pk, {})
            if seen.get(part, item.wp_id) != item.wp_id:
                self.report.warn(PART_TWICE, {"part": part, "series": series.title[:60]}, (seen[part], item.wp_id))
            seen.setdefault(part, item.wp_id)
        return post

    def _kind_of(self, item):
        for term in item.terms_of("category"):
            if normalize(term.name) in _OPINION_WORDS or normalize(decoded_slug(term.slug)) in _OPINION_WORDS:
                return ArticleKind.OPINION.value
        return ArticleKind.NEWS.value

    def _language_of(self, title, body):
        """The site's language, unless the title is written in Sorani (letters Arabic does not use)."""
        words = title.split()
        if self.language != ContentLanguage.CENTRAL_KURDISH and words:
            if sum(1 for word in words if is_sorani(word)) * 2 >= len(words):
                return ContentLanguage.CENTRAL_KURDISH.value
        return self.language

    def _page_fields(self, post, now):
        status = post.status
        live = status in ("publish", "private")
        published_at = post.published_at or now
        fields = dict(
            title=post.title,
            draft_title=post.title,
            live=live,
            has_unpublished_changes=not live,
            first_published_at=published_at if live else None,
            last_published_at=published_at if live else None,
            latest_revision_created_at=published_at,
            go_live_at=published_at if status == "future" else None,
            kind=post.kind,
            language=post.language,
            summary=post.summary,
            body=post.body,
            cover_image_id=post.cover_id,
            cover_caption=post.cover_caption,
            series_id=post.series.pk if post.series else None,
            part_number=post.part,
            comments_open=post.item.comment_status != "closed",
        )
        return fields

    def _create_posts(self, posts):
        if not posts:
            return []
        now = timezone.now()
        by_section = {}
        for post in posts:
            by_section.setdefault(post.section.pk, (post.section, []))[1].append(post)
        placed = []
        for section, section_posts in by_section.values():
            taken = self._child_slugs(section)
            pages = []
            for post in section_posts:
                slug = self._slug_for(post, taken)
                taken.add(slug)
                page = ArticlePage(slug=slug, **self._page_fields(post, now))
                pages.append(page)
                placed.append((post, page))
            place_children(section, pages)
        insert_pages([page for _, page in placed])
        self._link_authors_and_tags(placed)
        self._after_write(placed)
        ImportRecord.objects.bulk_create(
            ImportRecord(
                source=self.source, external_key=f"post:{post.item.wp_id}", page_id=page.pk,
                content_hash=post.fingerprint,
            )
            for post, page in placed
        )
        self.report.add("posts.created", len(placed))
        for post, _ in placed:
            self._count_status(post)
        return [(post, page.pk) for post, page in placed]

    def _count_status(self, post):
        key = {"publish": "posts.live", "draft": "posts.draft", "pending": "posts.pending",
               "future": "posts.scheduled", "private": "posts.private"}[post.status]
        self.report.add(key)
        if post.status == "pending":
            self.report.warn(PENDING_REVIEW, wp_ids=post.item.wp_id)
        if post.series is not None:
            self.report.add("posts.in_series")

    def _slug_for(self, post, taken):
        wanted = decoded_slug(post.item.post_name)[:SLUG_LIMIT]
        if not _VALID_SLUG.match(wanted):
            wanted = slugify(post.title)
        return unique_slug(wanted, taken, fallback=f"post-{post.item.wp_id}")

    def _child_slugs(self, section):
        if section.pk not in self._section_child_slugs:
            self._section_child_slugs[section.pk] = set(Page.objects.child_of(section).values_list("slug", flat=True))
        return self._section_child_slugs[section.pk]

    def _link_authors_and_tags(self, placed):
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article_id=page.pk, author=author, sort_order=order)
            for post, page in placed
            for order, author in enumerate(post.authors)
        )
        ArticleTag.objects.bulk_create(
            ArticleTag(content_object_id=page.pk, tag=tag) for post, page in placed for tag in post.tags
        )

    def _after_write(self, placed):
        """What bulk writing skips: view restrictions, scheduled revisions, passage questions."""
        private = [page for post, page in placed if post.status == "private"]
        existing = set(
            PageViewRestriction.objects.filter(page__in=private).values_list("page_id", flat=True)
        ) if private else set()
        PageViewRestriction.objects.bulk_create(
            PageViewRestriction(page=page, restriction_type=PageViewRestriction.LOGIN)
            for page in private
            if page.pk not in existing
        )
        for post, page in placed:
            if post.status == "future" and post.published_at is not None:
                page.save_revision(approved_go_live_at=post.published_at, clean=False, log_action=False)
            # Drafts too: their answers need the question now; readers see it only once the article is published.
            if post.questions:
                marked = sync_questions(page)
                self.report.add("questions.created", len(marked))

    def _update_posts(self, changed):
        if not changed:
            return []
        pages = ArticlePage.objects.in_bulk([record.page_id for _, record in changed])
        now = timezone.now()
        done = []
        for post, record in changed:
            page = pages.get(record.page_id)
            if page is None or self._edited_since(page, record):
                self.report.add("posts.edited_since")
                self.report.warn(EDITED_SINCE, wp_ids=post.item.wp_id)
                continue
            fields = self._page_fields(post, now)
            if page.live and fields["live"]:
                fields["first_published_at"] = page.first_published_at or fields["first_published_at"]
                fields["last_published_at"] = now
            ArticlePage.objects.filter(pk=page.pk).update(**fields)
            for name, value in fields.items():
                setattr(page, name, value)
            ArticleAuthor.objects.filter(article_id=page.pk).delete()
            ArticleTag.objects.filter(content_object_id=page.pk).delete()
            record.content_hash = post.fingerprint
            record.save(update_fields=["content_hash", "updated_at"])
            done.append((post, page))
        self._link_authors_and_tags(done)
        self._after_write(done)
        self.report.add("posts.updated", len(done))
        return [(post, page.pk) for post, page in done]

    @staticmethod
    def _edited_since(page, record):
        """An editor saved or published it in Minbar after the import wrote it."""
        return Revision.page_revisions.filter(
            object_id=str(page.pk), created_at__gt=record.updated_at, user__isnull=False
        ).exists()

    # --- pages ---------------------------------------------------------------------

    def _write_pages(self):
        """WordPress pages, parents before children, each in Wagtail's usual way (there are few)."""
        if not self._pages:
            return
        by_id = {item.wp_id: item for item in self._pages}
        done = {}

        def depth(item, seen=()):
            parent = by_id.get(item.parent_id)
            return 0 if parent is None or item.wp_id in seen else 1 + depth(parent, seen + (item.wp_id,))

        known = {
            record.external_key: record
            for record in ImportRecord.objects.filter(
                source=self.source, external_key__in=[f"page:{wp_id}" for wp_id in by_id]
            ).select_related("page")
        }
        for item in sorted(self._pages, key=depth):
            with transaction.atomic():
                page = self._write_page(item, by_id, done, known.get(f"page:{item.wp_id}"))
            if page is not None:
                done[item.wp_id] = page
                self._legacy.append(("item", item, page.pk))

    def _write_page(self, item, by_id, done, record):
        title = one_line(item.title)[:TITLE_LIMIT] or str(UNTITLED % {"id": item.wp_id})
        converted = content.convert(item.content, image_for=self.media.image_for)
        for warning in converted.warnings:
            message, params = (tuple(warning) + ({},))[:2]
            self.report.warn(message, params, item.wp_id)
        fingerprint = _fingerprint(FORMAT_VERSION, item.title, item.content, item.status, item.post_name, item.parent_id)
        live = item.status in ("publish", "private")
        if record is not None:
            page = SimplePage.objects.filter(pk=record.page_id).first()
            if page is None or record.content_hash == fingerprint:
                self.report.add("pages.unchanged")
                return page
            if self._edited_since(page, record):
                self.report.add("posts.edited_since")
                self.report.warn(EDITED_SINCE, wp_ids=item.wp_id)
                return page
            page.title = page.draft_title = title
            page.body = converted.body
            revision = page.save_revision(clean=False, log_action=False)
            if live:
                revision.publish(log_action=False)
            record.content_hash = fingerprint
            record.save(update_fields=["content_hash", "updated_at"])
            self.report.add("pages.updated")
            return page
        parent = done.get(item.parent_id) if item.parent_id else None
        if item.parent_id and parent is None:
            self.report.warn(PAGE_PARENT_MISSING, wp_ids=item.wp_id)
        parent = parent or self.home
        taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
        wanted = decoded_slug(item.post_name)[:SLUG_LIMIT]
        slug = unique_slug(wanted if _VALID_SLUG.match(wanted) else slugify(title), taken, f"page-{item.wp_id}")
        page = SimplePage(
            title=title, slug=slug, body=converted.body, language=self._language_of(title, item.content), live=False
        )
        parent.add_child(instance=page)
        revision = page.save_revision(clean=False, log_action=False)
        if live:
            revision.publish(log_action=False)
            first = _aware(item.date_gmt, item.date)
            if first is not None:
                SimplePage.objects.filter(pk=page.pk).update(first_published_at=first)
        if item.status == "private":
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        ImportRecord.objects.create(
            source=self.source, external_key=f"page:{item.wp_id}", page=page, content_hash=fingerprint
        )
        self.report.add("pages.created")
        self._wrote_anything = True
        return page

    # --- old addresses -------------------------------------------------------------

    def _legacy_author(self, login, author, wp_id):
        self._legacy.append(("author", login, wp_id, author))

    def _remember_term_addresses(self):
        for tag_term in (term for (taxonomy, _), term in self._terms.items() if taxonomy == "post_tag"):
            tag = self._tags.get(one_line(tag_term.name)[:100].casefold())
            if tag is not None and tag.slug:
                url = _default_language_url(lambda: reverse("newsroom:tag", kwargs={"slug": tag.slug}))
                self._legacy.append(("term", "post_tag", tag_term.slug, tag_term.wp_id, None, url))
        if self.categories == CATEGORIES_AS_TAGS:
            for (taxonomy, _), term in self._terms.items():
                tag = self._tags.get(one_line(term.name)[:100].casefold()) if taxonomy == "category" else None
                if tag is not None and tag.slug:
                    url = _default_language_url(lambda: reverse("newsroom:tag", kwargs={"slug": tag.slug}))
                    self._legacy.append(("term", "category", term.slug, term.wp_id, None, url))
        used = set(self._sections)
        unused = [term for (taxonomy, slug), term in self._terms.items() if taxonomy == "category" and slug not in used]
        if self.categories == CATEGORIES_AS_SECTIONS:
            self.report.add("categories.unused", len(unused))

    def _remember_attachment_addresses(self):
        """An image's old page (?attachment_id=, /post/image-name/) leads to the article it belongs to."""
        attachments = [item for item in self.census.attachments.values() if item.parent_id]
        if not attachments:
            return
        parents = {
            record.external_key: record.page_id
            for record in ImportRecord.objects.filter(
                source=self.source, external_key__in=[f"post:{item.parent_id}" for item in attachments]
            )
        }
        for item in attachments:
            page_id = parents.get(f"post:{item.parent_id}")
            if page_id:
                self._legacy.append(("item", item, page_id))

    def _flush_legacy(self):
        from minbar.legacy import keys
        from minbar.legacy.services import LegacyEntry, remember as remember_addresses

        entries = {}
        for entry in self._legacy:
            kind = entry[0]
            if kind == "item":
                _, item, page_id = entry
                parent_path = ""
                if item.post_type == "page":
                    parent_path = self._page_path(item)
                for key in keys.for_item(item.link, item.wp_id, item.post_type, item.post_name, item.date, parent_path):
                    entries[key] = LegacyEntry(key, page_id=page_id)
            elif kind == "term":
                _, taxonomy, slug, wp_id, page_id, url = entry
                for key in keys.for_term(taxonomy, slug, wp_id):
                    entries[key] = LegacyEntry(key, page_id=page_id, url=url)
            elif kind == "author":
                _, login, wp_id, author = entry
                for key in keys.for_author(login, login, wp_id):
                    entries[key] = LegacyEntry(key, url=_default_language_url(author.get_absolute_url))
        self._legacy = []
        if entries:
            remember_addresses(self.source, list(entries.values()))
            self.report.add("redirects", len(entries))

    def _page_path(self, item):
        by_id = {page.wp_id: page for page in self._pages}
        parts, seen, current = [], set(), item
        while current is not None and current.wp_id not in seen:
            seen.add(current.wp_id)
            parts.append(decoded_slug(current.post_name))
            current = by_id.get(current.parent_id)
        return "/".join(reversed(parts[1:]))

    # --- telling the rest of the site ----------------------------------------------

    def _announce_pages(self):
        while self._announce:
            chunk, self._announce = self._announce[:ANNOUNCE_SIZE], self._announce[ANNOUNCE_SIZE:]
            articles_imported.send(sender=ArticlePage, page_ids=chunk)

    def finish(self):
        self._announce_pages()
        if self._wrote_anything and not self.dry_run:
            page_cache.bump_generation()


def import_wordpress(path, *, media_dir=None, dry_run=False, categories=CATEGORIES_AS_SECTIONS, default_section="",
                     progress=None, census=None):
    """Import the WXR file at `path`; returns an ImportReport. Raises records.WXRError for a file it refuses."""
    census = census or wxr.census(path)
    if progress is not None:
        progress.total = census.total_items
    run = WordPressImport(
        path, census, media_dir=media_dir, dry_run=dry_run, categories=categories,
        default_section=default_section, progress=progress,
    )
    try:
        if dry_run:
            with transaction.atomic():
                report = run.run()
                transaction.set_rollback(True)
            return report
        report = run.run()
        run.finish()
        return report
    finally:
        if progress is not None:
            progress.finish()
