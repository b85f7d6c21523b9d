import pytest

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_article_page_answers_with_its_title(client):
    article = make_article(make_section(), title="المدينة بعد الحرب")
    response = client.get(article.url)
    assert response.status_code == 200
    assert "المدينة بعد الحرب" in response.content.decode()
