"""The rules behind each request's choice, as the page cache and other code rely on them."""

import pytest
from django.db import router as django_router, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from minbar.newsroom.models import Author
from minbar.replicas import router
from minbar.replicas.middleware import ReplicaReadsMiddleware

from .conftest import ALIAS, REPLICA_DB

pytestmark = [REPLICA_DB, pytest.mark.usefixtures("replica_alias", "replica")]


def serve(request, view):
    """Run `view` as the request's view behind the middleware; return (its result, the response)."""
    seen = {}

    def get_response(request):
        seen["result"] = view()
        return HttpResponse("ok")

    response = ReplicaReadsMiddleware(get_response)(request)
    return seen["result"], response


def read_database():
    return django_router.db_for_read(Author)


def test_a_reader_request_keeps_one_replica_and_leaves_nothing_behind_for_the_next():
    assert serve(RequestFactory().get("/"), lambda: [read_database() for _ in range(3)])[0] == [ALIAS] * 3
    # The thread's next work (a task, a command) reads the primary.
    assert read_database() == "default" and router.reads_from_primary()


@pytest.mark.parametrize(
    ("request_for", "reason"),
    [
        (lambda factory: factory.post("/comments/article/1/"), "a write request"),
        (lambda factory: factory.get("/admin/pages/"), "an editor's page"),
        (lambda factory: factory.get("/", HTTP_COOKIE="sessionid=abc"), "a session"),
        (lambda factory: factory.get("/", HTTP_COOKIE=f"{router.DEFAULT_PIN_COOKIE_NAME}=1"), "the pin cookie"),
    ],
)
def test_requests_that_must_see_the_latest_data_read_the_primary(request_for, reason):
    assert serve(request_for(RequestFactory()), read_database)[0] == "default", reason


def test_a_read_page_that_writes_reads_the_primary_afterwards_but_sets_no_cookie():
    def view():
        before = read_database()
        Author.objects.create(name="كاتبة جديدة", slug="new-writer")
        return before, read_database()

    (before, after), response = serve(RequestFactory().get("/"), view)
    assert (before, after) == (ALIAS, "default")
    assert not response.cookies


def test_reads_inside_a_transaction_or_use_primary_go_to_the_primary():
    def view():
        with transaction.atomic():
            in_transaction = read_database()
        with router.use_primary():
            forced = (read_database(), router.reads_from_primary())
        return in_transaction, forced, read_database()

    in_transaction, forced, after = serve(RequestFactory().get("/"), view)[0]
    assert in_transaction == "default" and forced == ("default", True) and after == ALIAS


def test_a_write_request_that_wrote_pins_the_writer_and_one_that_did_not_does_not():
    _, wrote = serve(RequestFactory().post("/"), lambda: Author.objects.create(name="كاتب", slug="writer"))
    _, refused = serve(RequestFactory().post("/"), lambda: Author.objects.filter(slug="nobody").exists())
    assert wrote.cookies[router.DEFAULT_PIN_COOKIE_NAME].value == "1"
    assert not refused.cookies


def test_a_change_is_recent_for_the_pin_seconds_so_the_page_cache_renders_it_from_the_primary(settings):
    settings.MINBAR_REPLICA_PIN_SECONDS = 10
    assert not router.changed_recently()
    router.note_change()
    assert router.changed_recently()
