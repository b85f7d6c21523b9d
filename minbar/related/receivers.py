"""Keep stored "read also" lists current: articles published, unpublished, imported; authors renamed.

Every receiver queues its work after the transaction commits, so the task
sees the published article and a rolled-back publication queues nothing.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.signals import page_published, page_unpublished

from minbar.newsroom.models import ArticleAuthor, ArticlePage, Author
from minbar.newsroom.signals import articles_imported

from . import services
from .tasks import refresh_read_also, refresh_teasers


def _queue(article_ids, neighbours):
    if article_ids:
        transaction.on_commit(
            partial(refresh_read_also.enqueue, article_ids=list(article_ids), neighbours=neighbours)
        )


def article_published(sender, instance, **kwargs):
    """Compute the article's list, then the lists of the articles on it."""
    _queue([instance.pk], neighbours=True)


def article_unpublished(sender, instance, **kwargs):
    """Compute again the lists that showed the article.

    Until the task has run, the page already hides the article (its query
    reads only live related articles). Wagtail unpublishes a live page before
    deleting it, so this covers deletion too; the ids are read now, before the
    deletion cascades to the rows that name them.
    """
    _queue(services.lists_pointing_to([instance.pk]), neighbours=False)


def articles_were_imported(sender, page_ids, **kwargs):
    """All imported articles in one task, computed in batches."""
    _queue(sorted(set(page_ids)), neighbours=True)


def author_saved(sender, instance, created, **kwargs):
    """Teasers start with the authors' names: rewrite those of a renamed author's articles."""
    if created:
        return
    article_ids = sorted(set(ArticleAuthor.objects.filter(author=instance).values_list("article_id", flat=True)))
    if article_ids:
        transaction.on_commit(partial(refresh_teasers.enqueue, article_ids=article_ids))


def connect():
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="related.article_published")
    page_unpublished.connect(article_unpublished, sender=ArticlePage, dispatch_uid="related.article_unpublished")
    articles_imported.connect(articles_were_imported, dispatch_uid="related.articles_imported")
    post_save.connect(author_saved, sender=Author, dispatch_uid="related.author_saved")
