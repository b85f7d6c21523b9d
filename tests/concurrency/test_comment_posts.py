"""200 readers post comments at the same moment: each accepted comment is stored once, and the page counts them all."""

import pytest

from minbar.comments.models import Comment, CommentStatus
from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_section

from .support import (
    Reader,
    all_at_once,
    article_path,
    comment_fields,
    get_page,
    network,
    send,
    shown_comment_count,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

READERS = 200
SEEDED = 3


@pytest.fixture
def open_article(shared_database):
    article = make_article(make_section(title="شؤون المدينة"), title="السوق القديم بعد الترميم")
    # Published at once: the test counts comments on the page, not the queue.
    ArticlePage.objects.filter(pk=article.pk).update(comment_moderation="none")
    seeded = [
        Comment.objects.create(
            article=article,
            author_name=f"كاتب {number}",
            author_email=f"early{number}@example.org",
            body=f"تعليق قديم رقم {number} على المقال.",
            status=CommentStatus.APPROVED,
        )
        for number in range(SEEDED)
    ]
    return ArticlePage.objects.get(pk=article.pk), seeded


def test_two_hundred_concurrent_comments_are_each_stored_once_and_counted_on_the_page(open_article, site_server):
    article, seeded = open_article
    path = article_path(article)
    # The page is in the cache before the storm: posting must take it out.
    assert shown_comment_count(get_page(site_server, path).text) == SEEDED
    again = get_page(site_server, path)
    assert again.headers.get("X-Cache") == "hit", f"the page is not cached (Vary: {again.headers.get('Vary')})"
    arabic_path = article_path(article, "ar")
    assert shown_comment_count(get_page(site_server, arabic_path).text) == SEEDED
    readers = [Reader(ip=network(number)) for number in range(READERS)]

    def post(number):
        # Every fourth reader answers one of the older comments.
        extra = {"parent": seeded[number % SEEDED].pk} if number % 4 == 0 else {}
        return send(site_server, f"/comments/article/{article.pk}/", comment_fields(number, **extra), reader=readers[number])

    def read_page():
        # Readers keep loading the page while others post: a page rendered
        # mid-storm must never stay in the cache once the storm is over.
        return get_page(site_server, path)

    jobs = []
    for number in range(READERS):
        jobs.append(lambda number=number: ("post", post(number)))
        if number % 10 == 0:
            jobs.append(lambda: ("read", read_page()))
    results = all_at_once(jobs)
    answers = [answer for kind, answer in results if kind == "post"]
    assert {answer.status for kind, answer in results if kind == "read"} == {200}

    statuses = sorted({answer.status for answer in answers})
    assert statuses == [201], [answer.text[:300] for answer in answers if answer.status != 201][:3]
    accepted_ids = [answer.data["comment"] for answer in answers]
    assert all(answer.data["published"] for answer in answers)
    assert len(set(accepted_ids)) == READERS

    stored = Comment.objects.filter(article=article).exclude(pk__in=[comment.pk for comment in seeded])
    assert sorted(stored.values_list("pk", flat=True)) == sorted(accepted_ids)
    emails = list(stored.values_list("author_email", flat=True))
    assert sorted(emails) == sorted(f"reader{number}@example.org" for number in range(READERS))
    assert stored.filter(parent__isnull=False).count() == READERS // 4
    assert stored.filter(status=CommentStatus.APPROVED).count() == READERS

    page = get_page(site_server, path)
    assert page.status == 200
    assert shown_comment_count(page.text) == READERS + SEEDED
    # The Arabic page, cached separately, was dropped as well.
    assert shown_comment_count(get_page(site_server, arabic_path).text) == READERS + SEEDED
