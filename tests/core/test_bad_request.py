"""A request Django refuses before any view (too large, too many fields) gets the reason in the reader's language."""

import pytest
from django.conf import settings

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def article(db):
    return make_article(make_section(), title="مقال للتقييم")


def too_large():
    return b"score=5&note=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def test_an_oversized_form_is_told_so_in_english_under_en(client, article):
    response = client.generic("POST", f"/en/ratings/{article.pk}/", too_large(), "application/x-www-form-urlencoded", **ORIGIN)
    assert response.status_code == 400
    page = response.content.decode()
    assert "What you sent is too large. Shorten it and send it again." in page
    assert '<html lang="en" dir="ltr">' in page


def test_a_script_is_told_in_json(client, article):
    response = client.generic(
        "POST", f"/ratings/{article.pk}/", too_large(), "application/x-www-form-urlencoded",
        HTTP_ACCEPT="application/json", **ORIGIN,
    )
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": "ما أرسلته كبير جداً. اختصره ثم أرسله مرة أخرى."}


def test_too_many_fields_are_named_as_such(client, article):
    body = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)).encode()
    response = client.generic("POST", "/subscriptions/", body, "application/x-www-form-urlencoded", **ORIGIN)
    assert response.status_code == 400
    assert "أرسل النموذج حقولاً أكثر من اللازم." in response.content.decode()
