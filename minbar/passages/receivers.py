"""Keep the questions on passages in step with what is published."""

from wagtail.signals import page_published

from minbar.newsroom.models import ArticlePage

from .services import sync_questions


def article_published(sender, instance, **kwargs):
    # Questions follow the published body only: a draft's marks are not asked yet.
    sync_questions(instance)


def connect():
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="passages.article_published")
