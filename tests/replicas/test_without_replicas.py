"""Without DATABASE_REPLICA_URLS nothing changes: one database, no pin cookie."""

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import translation

from minbar.replicas import router
from tests.comments.conftest import post
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_without_replicas_everything_uses_the_one_database_and_no_pin_cookie_is_set(client, discussion, settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 0
    assert list(connections) == ["default"] and router.replica_aliases() == []
    article = make_article(make_section(), title="مقال بلا نسخ")
    response = post(client, article)
    assert response.status_code == 303 and "minbar_reader" in response.cookies
    assert router.DEFAULT_PIN_COOKIE_NAME not in response.cookies
    assert client.get(article.url).status_code == 200


def test_check_replicas_says_there_is_none(capsys):
    with translation.override("en"):
        call_command("check_replicas")
    assert "No read replica is configured" in capsys.readouterr().out


def test_without_replicas_a_change_never_counts_as_recent():
    router.note_change()
    assert not router.changed_recently()
