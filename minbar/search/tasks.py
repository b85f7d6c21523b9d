"""Background work of search: run by `minbar worker`, at once in tests."""

from django_tasks import task

from . import index


@task()
def index_articles(article_ids: list[int]) -> int:
    """Bring the entries of these articles in line with the site (see index.index_articles)."""
    return index.index_articles(article_ids)


@task()
def rebuild_index() -> int:
    """Index every live article again: after the spelling variants changed."""
    return index.rebuild()
