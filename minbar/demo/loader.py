"""Put the demo content into the database, once.

Everything is keyed by slug (sections, authors, series, articles) or by title
(images), so running the loader again adds only what is missing and never
changes what an editor may have touched since.
"""

import datetime
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Revision

from minbar.core.models import SiteSettings
from minbar.related import services as related
from minbar.search import index as search_index
from minbar.newsroom.models import ArticleAuthor, ArticlePage, Author, AuthorLink, HomePage, SectionPage, Series

from . import catalog, images
from .articles import load_articles
from .discussion import load_discussion


@dataclass
class Result:
    """What this run added (`created`) and how much demo content is there now."""

    created: dict = field(default_factory=lambda: dict.fromkeys(("articles", "authors", "series", "sections", "images"), 0))
    articles: int = 0
    live: int = 0
    scheduled: int = 0
    authors: int = 0
    series: int = 0
    sections: int = 0
    images: int = 0

    @property
    def created_anything(self):
        return any(self.created.values())


def _ensure_image(title, file_stem, draw, result):
    image = Image.objects.filter(title=title).first()
    if image:
        return image
    data = images.to_jpeg(draw())
    image = Image.objects.create(title=title, file=ImageFile(BytesIO(data), name=f"demo-{file_stem}.jpg"))
    result.created["images"] += 1
    return image


def ensure_site_settings():
    """Name the site, keeping whatever its owner has already filled in."""
    site_settings = SiteSettings.load()
    wanted = {"site_name": catalog.SITE_NAME, "tagline": catalog.TAGLINE, "publisher_name": catalog.PUBLISHER_NAME}
    missing = [name for name in wanted if not getattr(site_settings, name)]
    for name in missing:
        setattr(site_settings, name, wanted[name])
    if missing:
        site_settings.save(update_fields=missing)
    return site_settings


def ensure_sections(result):
    home = HomePage.objects.get()
    sections = {}
    for spec in catalog.SECTIONS:
        section = SectionPage.objects.child_of(home).filter(slug=spec.slug).first()
        if section is None:
            section = SectionPage(title=spec.title, slug=spec.slug, description=spec.description)
            home.add_child(instance=section)
            section.save_revision().publish()
            result.created["sections"] += 1
        sections[spec.slug] = section
    return sections


def ensure_authors(result):
    authors = {}
    for spec in catalog.AUTHORS:
        author = Author.objects.filter(slug=spec.slug).first()
        if author is None:
            is_organization = spec.kind == "organization"
            picture = "شعار على هيئة نجمة ثمانية" if is_organization else "صورة رمزية بزخرفة هندسية مجردة"
            photo = _ensure_image(
                f"{spec.name}: {picture}",
                f"avatar-{spec.slug}",
                lambda: images.avatar_image(spec.slug, organization=is_organization),
                result,
            )
            author = Author(name=spec.name, slug=spec.slug, kind=spec.kind, bio=spec.bio, photo=photo)
            for label, url in spec.links:
                author.links.add(AuthorLink(label=label, url=url))
            author.save()
            result.created["authors"] += 1
        authors[spec.slug] = author
    return authors


def ensure_series(result):
    series = {}
    for spec in catalog.SERIES:
        item = Series.objects.filter(slug=spec.slug).first()
        if item is None:
            item = Series.objects.create(
                title=spec.title, slug=spec.slug, description=spec.description, is_complete=spec.is_complete
            )
            result.created["series"] += 1
        series[spec.slug] = item
    return series


def _cover(spec, section_spec, result):
    label = f" (الجزء {spec.part})" if spec.part else ""
    title = f"{images.describe(spec.slug, section_spec.colours)} — غلاف «{spec.title}»{label}"
    return _ensure_image(
        title, f"cover-{spec.slug}", lambda: images.cover_image(spec.slug, section_spec.palette), result
    )


def _caption(spec):
    if spec.language == "en":
        return "Illustration: Minbar, generated pattern"
    if spec.language == "ckb":
        return "وێنە: نەخشێکی ئەندازەیی، منبەر"
    return "رسم تجريدي: منبر"


def _set_dates(page, published_at):
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=published_at, last_published_at=published_at, latest_revision_created_at=published_at
    )
    Revision.page_revisions.filter(object_id=str(page.pk)).update(created_at=published_at)


def ensure_article(spec, sections, authors, series, now, result):
    existing = ArticlePage.objects.filter(slug=spec.slug).first()
    if existing:
        return existing
    section_spec = next(section for section in catalog.SECTIONS if section.slug == spec.section)
    article = ArticlePage(
        title=spec.title,
        slug=spec.slug,
        kind=spec.kind,
        language=spec.language,
        summary=spec.summary,
        body=spec.body,
        series=series[spec.series] if spec.series else None,
        part_number=spec.part,
        cover_image=_cover(spec, section_spec, result),
        cover_caption=_caption(spec),
        live=not spec.is_scheduled,
    )
    if spec.is_scheduled:
        article.go_live_at = now + datetime.timedelta(days=spec.scheduled_in_days)
    if spec.updated_days_ago is not None:
        article.updated_at = now - datetime.timedelta(days=spec.updated_days_ago)
    for slug in spec.authors:
        article.article_authors.add(ArticleAuthor(author=authors[slug]))
    article.tags.add(*spec.tags)
    sections[spec.section].add_child(instance=article)
    # A go_live_at in the future makes publish() schedule the revision instead of going live.
    article.save_revision().publish()
    if spec.published_days_ago is not None and not spec.is_scheduled:
        _set_dates(article, now - datetime.timedelta(days=spec.published_days_ago))
    result.created["articles"] += 1
    return article


def _count(result, specs):
    slugs = [spec.slug for spec in specs]
    articles = ArticlePage.objects.filter(slug__in=slugs)
    result.articles = articles.count()
    result.live = articles.filter(live=True).count()
    result.scheduled = Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in articles.filter(live=False).values_list("pk", flat=True)],
        approved_go_live_at__isnull=False,
    ).count()
    result.authors = Author.objects.filter(slug__in=[spec.slug for spec in catalog.AUTHORS]).count()
    result.series = Series.objects.filter(slug__in=[spec.slug for spec in catalog.SERIES]).count()
    result.sections = SectionPage.objects.filter(slug__in=[spec.slug for spec in catalog.SECTIONS]).count()
    result.images = Image.objects.filter(file__startswith="original_images/demo-").count()


def load_demo(now=None):
    """Create whatever demo content is missing and return what is there."""
    now = now or timezone.now()
    result = Result()
    specs = load_articles()
    with transaction.atomic():
        ensure_site_settings()
        sections = ensure_sections(result)
        authors = ensure_authors(result)
        series = ensure_series(result)
        for spec in specs:
            ensure_article(spec, sections, authors, series, now, result)
    # Publishing queued the index and "read also" work for the worker; do it
    # now as well, so that search and read-also are there on the first visit
    # (the queued tasks later find nothing left to change).
    search_index.rebuild()
    related.refresh_all()
    load_discussion()
    _count(result, specs)
    return result
