import pytest

from tests.factories import make_article, make_section

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}


@pytest.fixture
def article(db):
    return make_article(make_section(), title="مقال للنقاش")


@pytest.fixture
def no_page_cache(settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 0
