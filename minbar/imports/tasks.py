"""Background work after a bulk import: run by `minbar worker`, at once in tests."""

from django.db import transaction
from django_tasks import task
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends

# Pages read and indexed at a time.
CHUNK_SIZE = 500


@task()
def index_imported_pages(page_ids: list[int]) -> int:
    """Put imported pages into Wagtail's own indexes: the admin's page search, and the reference index.

    Wagtail fills both from each page's save; bulk imports save without it
    (see mapping.py), so they are filled here, a chunk of pages at a time.
    """
    indexed = 0
    for start in range(0, len(page_ids), CHUNK_SIZE):
        chunk = page_ids[start : start + CHUNK_SIZE]
        by_model = {}
        for page in Page.objects.filter(pk__in=chunk).specific():
            by_model.setdefault(type(page), []).append(page)
        for model, pages in by_model.items():
            objects = list(model.get_indexed_objects().filter(pk__in=[page.pk for page in pages]))
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, objects)
            with transaction.atomic():
                for page in pages:
                    ReferenceIndex.create_or_update_for_object(page)
            indexed += len(pages)
    return indexed
