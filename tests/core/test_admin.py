"""Editors work in Wagtail's Arabic right-to-left admin."""

import pytest

from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    return client


def test_admin_dashboard_is_arabic_right_to_left(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert 'lang="ar"' in html
    assert 'dir="rtl"' in html


def test_article_editor_opens_for_new_and_existing_articles(editor_client):
    section = make_section()
    article = make_article(section)
    assert editor_client.get(f"/admin/pages/add/newsroom/articlepage/{section.pk}/").status_code == 200
    response = editor_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_preview_of_a_draft_with_unsaved_authors_renders(rf):
    """Preview renders what the editor typed, authors included, before anything is saved."""
    section = make_section()
    article = make_article(section, title="مسودة")
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "مسودة معدلة لم تحفظ"
    draft.article_authors.clear()
    from minbar.newsroom.models import ArticleAuthor

    draft.article_authors.add(ArticleAuthor(author=make_author(name="كاتبة جديدة")))
    response = draft.make_preview_request()
    html = response.content.decode() if hasattr(response, "content") else response.rendered_content
    assert response.status_code == 200
    assert "مسودة معدلة لم تحفظ" in html


def test_authors_and_series_are_edited_as_snippets(editor_client):
    make_author(name="دلشاد يوسف", slug="dilshad")
    response = editor_client.get("/admin/snippets/newsroom/author/")
    assert response.status_code == 200
    assert "دلشاد يوسف" in response.content.decode()
    assert editor_client.get("/admin/snippets/newsroom/series/").status_code == 200
