"""Keep Wagtail's own indexes right after bulk imports (any importer sending articles_imported)."""

from functools import partial

from django.db import transaction

from minbar.newsroom.signals import articles_imported

from .tasks import index_imported_pages


def articles_were_imported(sender, page_ids, **kwargs):
    if page_ids:
        transaction.on_commit(partial(index_imported_pages.enqueue, page_ids=sorted(set(page_ids))))


def connect():
    articles_imported.connect(articles_were_imported, dispatch_uid="imports.articles_imported")
