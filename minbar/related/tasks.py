"""Background work for "read also": run by `minbar worker`, at once in tests."""

from django_tasks import task

from . import services

# Lower than the search app's indexing tasks (default priority 0): when an
# article's indexing and its "read also" are queued together, the queue hands
# out the indexing first. The task also indexes on its own (see
# services.refresh), so the order is a saving, not a requirement.
READ_ALSO_PRIORITY = -10


@task(priority=READ_ALSO_PRIORITY)
def refresh_read_also(article_ids: list[int], neighbours: bool = True) -> int:
    """Compute the lists of `article_ids` (and, with neighbours, of the articles they list)."""
    return services.refresh(article_ids, neighbours=neighbours)


@task(priority=READ_ALSO_PRIORITY)
def refresh_teasers(article_ids: list[int]) -> None:
    """Rewrite the stored teasers that show these articles."""
    services.refresh_teasers(article_ids)
