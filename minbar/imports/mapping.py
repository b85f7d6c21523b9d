"""Turn batches of ArticleItems into live articles, fast and without duplicates.

New articles are written in bulk rather than with `add_child` and a
revision each: their tree positions (path, depth, numchild), url_path and
publication fields are set here exactly as Wagtail would, the base rows go
in with one `bulk_create` and each article row with a raw save. No revision
is made: Wagtail shows the live row of a page without unpublished changes,
so an imported article opens in the admin and is published from there like
any other. Raw saves skip Wagtail's per-page search and reference-index
tasks; the importer announces the whole run with `articles_imported`
instead (see services.py and receivers.py).

A changed item updates its article in place (text, dates, kind, language,
authors, tags; the address and the section stay), unless an editor has
touched the article since: a draft, or an unpublished article, is left as it is.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from minbar.arabic import slugify
from minbar.newsroom.models import ArticleAuthor, ArticlePage, ArticleTag, Author, HomePage, SectionPage

from . import messages
from .items import Problem
from .models import ImportRecord


# Room for a "-2" suffix in Author.slug (200 characters).
AUTHOR_SLUG_LIMIT = 190


@dataclass
class BatchOutcome:
    """What one batch did; in a dry run, what it would have done (ids are then None)."""

    created: list = field(default_factory=list)  # page ids
    updated: list = field(default_factory=list)  # page ids
    unchanged: int = 0
    problems: list = field(default_factory=list)


def _short_hash(text):
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def unique_slug(base, taken, fallback):
    """`base`, or `base-2`, `base-3` … whichever is not in `taken`; `fallback` when base is empty."""
    base = base or fallback
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class HomePageMissing(Exception):
    pass


def place_children(parent, pages):
    """Give unsaved `pages` (slugs set) tree positions after `parent`'s last child, as Wagtail would.

    Sets path, depth, numchild, url_path and locale, and raises the parent's
    numchild; the caller then saves them with `insert_pages`. The parent row is
    locked while its children are numbered (PostgreSQL; SQLite already writes
    one transaction at a time).
    """
    if not pages:
        return
    Page.objects.select_for_update().filter(pk=parent.pk).first()
    # Not parent.get_last_child(): it trusts the numchild of a cached copy.
    last_path = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    # treebeard numbers children base 36 in fixed steps (Page.steplen); carry on after the last one.
    position = Page._str2int(last_path[-Page.steplen :]) if last_path else 0
    for page in pages:
        position += 1
        page.path = Page._get_path(parent.path, parent.depth + 1, position)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def insert_pages(pages):
    """Save new pages placed by `place_children`: base rows in one bulk insert, then each specific row raw.

    Raw saves skip Wagtail's per-page signals (search index, reference index):
    the importer announces the batch with `articles_imported` instead.
    """
    fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{field.attname: getattr(page, field.attname) for field in fields}) for page in pages]
    )
    for page, base in zip(pages, bases):
        page.id = page.page_ptr_id = base.id
        page.save_base(raw=True, force_insert=True)


class PageWriter:
    """Write batches of items from one source; remembers sections, authors and tags between batches."""

    def __init__(self, source, dry_run=False):
        self.source = source
        self.dry_run = dry_run
        self.home = HomePage.objects.first()
        if self.home is None:
            raise HomePageMissing()
        self.sections_created = 0
        self.authors_created = 0
        self._sections = {}  # (title, slug) as given → SectionPage, or None in a dry run
        self._section_slugs = {}  # section pk → slugs of its children
        self._authors = {}  # name → Author, or None in a dry run
        self._tags = {}  # casefolded name → Tag

    # --- one batch ----------------------------------------------------------

    def write(self, items) -> BatchOutcome:
        outcome = BatchOutcome()
        with transaction.atomic():
            records = {
                record.external_key: record
                for record in ImportRecord.objects.filter(
                    source=self.source, external_key__in=[item.key for item in items]
                )
            }
            new, changed = [], []
            for item in items:
                record = records.get(item.key)
                if record is None:
                    new.append(item)
                elif record.content_hash == item.fingerprint:
                    outcome.unchanged += 1
                else:
                    changed.append((item, record))
            changed = self._updatable(changed, outcome)
            if self.dry_run:
                self._count_what_would_be_created(new, changed)
                outcome.created = [None] * len(new)
                outcome.updated = [None] * len(changed)
                return outcome
            outcome.created = self._create(new)
            outcome.updated = self._update(changed)
        return outcome

    def _updatable(self, changed, outcome):
        pages = ArticlePage.objects.in_bulk([record.page_id for _, record in changed])
        updatable = []
        for item, record in changed:
            page = pages.get(record.page_id)
            if page is None or page.has_unpublished_changes or not page.live:
                outcome.problems.append(Problem(item.line, messages.EDITED_SINCE_IMPORT))
            else:
                updatable.append((item, record, page))
        return updatable

    # --- new articles ---------------------------------------------------------

    def _create(self, items):
        if not items:
            return []
        now = timezone.now()
        pages, by_section = [], {}
        for item in items:
            section = self._section(item)
            by_section.setdefault(section.pk, (section, []))[1].append(item)
        for section, section_items in by_section.values():
            pages += self._new_pages_in(section, section_items, now)
        insert_pages([page for page, _ in pages])
        self._set_authors_and_tags(pages)
        ImportRecord.objects.bulk_create(
            ImportRecord(source=self.source, external_key=item.key, page_id=page.pk, content_hash=item.fingerprint)
            for page, item in pages
        )
        return [page.pk for page, _ in pages]

    def _new_pages_in(self, section, items, now):
        taken = self._child_slugs(section)
        pages = []
        for item in items:
            slug = unique_slug(slugify(item.title), taken, fallback=f"article-{_short_hash(item.key)}")
            taken.add(slug)
            published_at = item.published_at or now
            page = ArticlePage(
                title=item.title,
                draft_title=item.title,
                slug=slug,
                live=True,
                has_unpublished_changes=False,
                first_published_at=published_at,
                last_published_at=published_at,
                latest_revision_created_at=published_at,
                kind=item.kind,
                language=item.language,
                summary=item.summary,
                body=item.body,
            )
            pages.append((page, item))
        place_children(section, [page for page, _ in pages])
        return pages

    def _child_slugs(self, section):
        if section.pk not in self._section_slugs:
            self._section_slugs[section.pk] = set(Page.objects.child_of(section).values_list("slug", flat=True))
        return self._section_slugs[section.pk]

    # --- changed articles -----------------------------------------------------

    def _update(self, changed):
        if not changed:
            return []
        now = timezone.now()
        for item, record, page in changed:
            ArticlePage.objects.filter(pk=page.pk).update(
                title=item.title,
                draft_title=item.title,
                first_published_at=item.published_at or page.first_published_at,
                last_published_at=now,
                latest_revision_created_at=now,
                kind=item.kind,
                language=item.language,
                summary=item.summary,
                body=item.body,
            )
            record.content_hash = item.fingerprint
            record.updated_at = now
        pages = [(page, item) for item, _, page in changed]
        ids = [page.pk for page, _ in pages]
        ArticleAuthor.objects.filter(article_id__in=ids).delete()
        ArticleTag.objects.filter(content_object_id__in=ids).delete()
        self._set_authors_and_tags(pages)
        ImportRecord.objects.bulk_update([record for _, record, _ in changed], ["content_hash", "updated_at"])
        return ids

    # --- what articles point to -----------------------------------------------

    def _set_authors_and_tags(self, pages):
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article_id=page.pk, author=self._author(name), sort_order=order)
            for page, item in pages
            for order, name in enumerate(item.authors)
        )
        ArticleTag.objects.bulk_create(
            ArticleTag(content_object_id=page.pk, tag=self._tag(name)) for page, item in pages for name in item.tags
        )

    def _section(self, item):
        """The item's section under the home page, found by slug, else by title, else created live."""
        wanted = (item.section_title, item.section_slug)
        if wanted in self._sections:
            return self._sections[wanted]
        slug = item.section_slug or slugify(item.section_title) or f"section-{_short_hash(item.section_title)}"
        sections = SectionPage.objects.child_of(self.home)
        section = sections.filter(slug=slug).first() or sections.filter(title=item.section_title).first()
        if section is None and not self.dry_run:
            taken = set(Page.objects.child_of(self.home).values_list("slug", flat=True))
            section = SectionPage(title=item.section_title, slug=unique_slug(slug, taken, slug))
            self.home.add_child(instance=section)
            section.save_revision().publish()
            self.sections_created += 1
        elif section is None:
            self.sections_created += 1
        self._sections[wanted] = section
        return section

    def _author(self, name):
        if name in self._authors:
            return self._authors[name]
        author = Author.objects.filter(name=name).order_by("pk").first()
        if author is None and not self.dry_run:
            base = slugify(name, max_length=AUTHOR_SLUG_LIMIT) or "author"
            taken = set(Author.objects.filter(slug__startswith=base).values_list("slug", flat=True))
            author = Author.objects.create(name=name, slug=unique_slug(base, taken, base))
            self.authors_created += 1
        elif author is None:
            self.authors_created += 1
        self._authors[name] = author
        return author

    def _tag(self, name):
        folded = name.casefold()
        if folded not in self._tags:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            self._tags[folded] = tag
        return self._tags[folded]

    def _count_what_would_be_created(self, new, changed):
        """In a dry run, look sections and authors up; the missing ones are counted, not created."""
        for item in new:
            self._section(item)
        for item in new + [item for item, _, _ in changed]:
            for name in item.authors:
                self._author(name)
