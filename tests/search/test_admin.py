"""Editors teach search their site's spellings in the Arabic admin."""

import pytest

from minbar.search import services
from minbar.search.models import SpellingVariant

from .conftest import paragraphs

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/search/spellingvariant/"


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    return client


def test_spelling_variants_have_a_menu_item_in_the_arabic_admin(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert LISTING in html


def test_an_editor_adds_a_variant_in_the_admin_and_search_finds_the_article(editor_client, publish, section, on_commit):
    article = publish(section, "زيارة إلى سنجار", paragraphs("التقى الوفد بشيخ يزيدي في القرية."))
    assert services.search("إيزيدي").total == 0
    with on_commit():
        response = editor_client.post(f"{LISTING}add/", {"variant": "إيزيدي", "canonical": "يزيدي"})
    assert response.status_code == 302
    assert SpellingVariant.objects.filter(variant="إيزيدي", canonical="يزيدي").exists()
    assert [found.pk for found in services.search("إيزيدي").articles] == [article.pk]

    listing = editor_client.get(LISTING, {"q": "إيزيدي"})
    assert listing.status_code == 200 and "يزيدي" in listing.content.decode()


def test_the_admin_refuses_a_variant_of_two_words(editor_client):
    response = editor_client.post(f"{LISTING}add/", {"variant": "شيخ إيزيدي", "canonical": "يزيدي"})
    assert response.status_code == 200
    assert not SpellingVariant.objects.exists()
