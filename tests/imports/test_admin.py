"""An imported article is an ordinary page to editors: it opens in the admin and publishes from there."""

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from minbar.core.text import plain_text
from minbar.newsroom.models import ArticlePage

from .support import LIBRARY, NO_ID, run_import, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    return client


def test_an_imported_article_opens_in_the_editor_and_publishes(editor_client, tmp_path):
    run_import(write_jsonl(tmp_path / "news.jsonl", [LIBRARY]))
    article = ArticlePage.objects.get(title=LIBRARY["title"])
    edit_url = f"/admin/pages/{article.pk}/edit/"

    response = editor_client.get(edit_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert LIBRARY["title"] in html

    # Submit the form exactly as the editor shows it, with a new title, and publish.
    data = querydict_from_html(html, form_id="page-edit-form")
    data["title"] = "افتتاح مكتبة الزهور العامة"
    data["action-publish"] = "action-publish"
    response = editor_client.post(edit_url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    published = ArticlePage.objects.get(pk=article.pk)
    assert published.title == "افتتاح مكتبة الزهور العامة"
    assert published.live and not published.has_unpublished_changes
    assert published.live_revision is not None
    # What the import set is kept: publication date, paragraphs, byline, address.
    assert published.first_published_at == article.first_published_at
    assert str(published.body).count("</p>") == 2
    assert plain_text(published.body) == plain_text(article.body)
    assert [author.name for author in published.authors] == ["سلمى درويش"]
    assert published.url == article.url


def test_the_section_lists_imported_articles_in_the_admin(editor_client, tmp_path):
    run_import(write_jsonl(tmp_path / "news.jsonl", [LIBRARY, NO_ID]))
    section = ArticlePage.objects.get(title=LIBRARY["title"]).get_parent()
    response = editor_client.get(f"/admin/pages/{section.pk}/")
    assert response.status_code == 200
    assert LIBRARY["title"] in response.content.decode()
