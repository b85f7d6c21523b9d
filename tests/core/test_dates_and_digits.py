"""Dates read naturally in each interface language; digits follow the site setting."""

import datetime

import pytest
from django.utils import timezone

from minbar.core.models import SiteSettings
from minbar.core.views import server_error
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

PUBLISHED = timezone.make_aware(datetime.datetime(2022, 1, 20, 18, 0), timezone.get_fixed_timezone(180))


@pytest.fixture
def article():
    return make_article(make_section(), published_at=PUBLISHED)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("", "20 يناير 2022"), ("/en", "20 January 2022")],
)
def test_article_date_uses_month_names_of_the_interface(client, article, prefix, expected):
    html = client.get(prefix + article.url).content.decode()
    assert f'<time datetime="{PUBLISHED.isoformat()}">{expected}</time>' in html


def test_kurdish_interface_names_the_month_in_kurdish(client, article):
    html = client.get("/ckb" + article.url).content.decode()
    assert "January" not in html
    assert "يناير" not in html


def test_arabic_indic_digits_when_the_site_asks_for_them(client, article):
    settings_row = SiteSettings.load()
    settings_row.use_arabic_indic_digits = True
    settings_row.save()
    html = client.get(article.url).content.decode()
    assert "٢٠ يناير ٢٠٢٢" in html
    assert "20 يناير 2022" not in html


def test_server_error_page_is_self_contained(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "http://" not in html and "https://" not in html
