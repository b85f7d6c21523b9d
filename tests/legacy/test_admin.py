"""The site's volunteer can look up where an old address goes, and cannot change it by hand."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from minbar.legacy.models import LegacyAddress
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("volunteer", "v@example.org", "x"))
    return client


def test_old_addresses_are_listed_and_searchable(admin_client):
    article = make_article(make_section(), title="ترميم السوق القديم")
    row = LegacyAddress.objects.create(source="wordpress:https://old.example", key="slug:souq", page=article)
    LegacyAddress.objects.create(source="wordpress:https://old.example", key="post_tag:water", target_url="/tag/water/")
    listing = admin_client.get(reverse("old_addresses:index"), {"q": "souq"})
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "slug:souq" in text and "post_tag:water" not in text
    assert admin_client.get(reverse("old_addresses:inspect", args=[row.pk])).status_code == 200


def test_no_one_adds_edits_or_deletes_them_by_hand(admin_client):
    row = LegacyAddress.objects.create(source="wordpress:https://old.example", key="id:5", target_url="/x/")
    for url in (reverse("old_addresses:add"), reverse("old_addresses:edit", args=[row.pk]),
                reverse("old_addresses:delete", args=[row.pk])):
        assert admin_client.get(url).status_code in (302, 403), url
    admin_client.post(reverse("old_addresses:delete", args=[row.pk]))
    assert LegacyAddress.objects.filter(pk=row.pk).exists()


def test_the_list_is_in_the_settings_menu(admin_client):
    menu = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("old_addresses:index") in menu
