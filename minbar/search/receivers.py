"""Keep the index in step with the site: each change queues a background task after commit.

What moves an article in or out of the index, or changes its words:
publishing, unpublishing, deleting, a bulk import (newsroom's
`articles_imported`), a view restriction added or removed, an author or a
tag renamed. A change to the spelling variants re-indexes everything.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from minbar.newsroom.signals import articles_imported

from . import tasks
from .analysis import forget_spelling_variants
from .models import SpellingVariant


def _article_model():
    return apps.get_model("newsroom", "ArticlePage")


def queue_indexing(article_ids):
    """Index these articles in the background once the current transaction commits."""
    ids = sorted({int(pk) for pk in article_ids})
    if ids:
        transaction.on_commit(lambda: tasks.index_articles.enqueue(ids))


def _article_changed(sender, instance, **kwargs):
    if isinstance(instance, _article_model()):
        queue_indexing([instance.pk])


def _articles_imported(sender, page_ids, **kwargs):
    # One task for the whole import: it indexes in batches.
    queue_indexing(page_ids)


def _restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # None when the restriction goes with its page
        queue_indexing(_article_model().objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def _author_saved(sender, instance, created, **kwargs):
    if not created:
        ArticleAuthor = apps.get_model("newsroom", "ArticleAuthor")
        queue_indexing(ArticleAuthor.objects.filter(author=instance).values_list("article_id", flat=True))


def _tag_saved(sender, instance, created, **kwargs):
    if not created:
        ArticleTag = apps.get_model("newsroom", "ArticleTag")
        queue_indexing(ArticleTag.objects.filter(tag=instance).values_list("content_object_id", flat=True))


def _variants_changed(sender, **kwargs):
    forget_spelling_variants()
    transaction.on_commit(forget_spelling_variants)
    transaction.on_commit(tasks.rebuild_index.enqueue)


def connect():
    """Connect the receivers (from SearchConfig.ready)."""
    ArticlePage = _article_model()
    page_published.connect(_article_changed, dispatch_uid="search-page-published")
    page_unpublished.connect(_article_changed, dispatch_uid="search-page-unpublished")
    post_delete.connect(_article_changed, sender=ArticlePage, dispatch_uid="search-article-deleted")
    articles_imported.connect(_articles_imported, dispatch_uid="search-articles-imported")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
    post_save.connect(_author_saved, sender=apps.get_model("newsroom", "Author"), dispatch_uid="search-author-saved")
    post_save.connect(_tag_saved, sender=apps.get_model("taggit", "Tag"), dispatch_uid="search-tag-saved")
    post_save.connect(_variants_changed, sender=SpellingVariant, dispatch_uid="search-variant-saved")
    post_delete.connect(_variants_changed, sender=SpellingVariant, dispatch_uid="search-variant-deleted")
