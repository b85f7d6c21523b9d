"""Small builders for test data, with real Arabic text and published pages."""

import datetime
import io
import itertools

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.images.models import Image
from wagtail.models import Page

from minbar.newsroom.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage, Series

_counter = itertools.count(1)

# Our own text, with the spellings real sites publish: a missing hamza
# (اعلن), tashkeel (تَمَّ), a tatweel dash (البلديةـ), digits glued to a word
# (300متطوع) and a spaced-out date (20 / 1/ 2022).
ARABIC_BODY = (
    "<p>اعلن مجلس البلديةـ في مؤتمر صحفي أن أعمال ترميم السوق القديم تَمَّ إنجازها قبل موعدها، "
    "بعد أن شارك فيها 300متطوع من أبناء الأحياء المجاورة.</p>"
    "<p>وكانت الأعمال بدأت صباح الخميس 20 / 1/ 2022 واستمرت أسابيع، "
    "ويأمل التجار أن تعود الحركة إلى الأسواق مع بداية الربيع.</p>"
)


def home_page():
    return HomePage.objects.get()


def make_section(title="مقالات رأي", slug=None):
    slug = slug or f"section-{next(_counter)}"
    section = SectionPage(title=title, slug=slug, description="قسم للاختبار")
    home_page().add_child(instance=section)
    section.save_revision().publish()
    return SectionPage.objects.get(pk=section.pk)


def make_author(name="دلشاد يوسف", slug=None, kind="person", bio="كاتب وباحث في الشأن الكردي."):
    return Author.objects.create(name=name, slug=slug or f"author-{next(_counter)}", kind=kind, bio=bio)


def make_series(title="المدينة بعد الحرب", slug=None, is_complete=False):
    return Series.objects.create(title=title, slug=slug or f"series-{next(_counter)}", is_complete=is_complete)


def make_image(title="غلاف", color=(180, 60, 40)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 40), color).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"cover-{next(_counter)}.png"))


def make_article(
    section,
    title="المدينة بعد الحرب",
    authors=None,
    body=ARABIC_BODY,
    summary="",
    kind="opinion",
    language="ar",
    series=None,
    part_number=None,
    tags=(),
    cover_image=None,
    published_at=None,
    live=True,
    slug=None,
):
    """Create an article under `section`; published unless `live=False` (then a draft)."""
    article = ArticlePage(
        title=title,
        slug=slug or f"article-{next(_counter)}",
        body=body,
        summary=summary,
        kind=kind,
        language=language,
        series=series,
        part_number=part_number,
        cover_image=cover_image,
        live=live,
    )
    for author in authors if authors is not None else [make_author()]:
        article.article_authors.add(ArticleAuthor(author=author))
    for tag in tags:
        article.tags.add(tag)
    section.add_child(instance=article)
    revision = article.save_revision()
    if live:
        revision.publish()
        if published_at:
            ArticlePage.objects.filter(pk=article.pk).update(
                first_published_at=published_at, last_published_at=published_at
            )
    else:
        Page.objects.filter(pk=article.pk).update(live=False)
    return ArticlePage.objects.get(pk=article.pk)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)
