"""On PostgreSQL: `minbar backup` dumps the site with pg_dump and `minbar restore` puts it into another database.

Runs in the PostgreSQL run only (postgres_only; django_db so that run
collects it). It commits its rows (transaction=True) so that pg_dump, another
program, sees them; serialized_rollback puts back the rows migrations made
for the tests that follow.
"""

import secrets
import shutil
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from django.utils import translation

from minbar.backups import restoring
from minbar.comments.models import Comment, CommentStatus
from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_image, make_section

from .conftest import run_minbar

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLES_SQL = (
    "SELECT page.id, page.title, page.slug, page.live FROM newsroom_articlepage AS article "
    "JOIN wagtailcore_page AS page ON page.id = article.page_ptr_id ORDER BY page.id"
)
COMMENTS_SQL = "SELECT id, author_name, body, status FROM comments_comment ORDER BY id"


def database_url(name):
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{settings['PORT'] or 5432}/{name}"


def server(**options):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        **options,
    )


@pytest.fixture
def scratch_database():
    """An empty database of its own on the test server, dropped afterwards."""
    name = f"minbar_restore_{secrets.token_hex(4)}"
    with server(dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with server(dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rows(database, sql):
    with server(dbname=database) as reader:
        return reader.execute(sql).fetchall()


def test_a_pg_dump_backup_restores_into_another_database_and_replaces_it_only_with_force(
    tmp_path, scratch_database
):
    # A skip would hide a CI machine without the client programs; say what to install instead.
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "install postgresql-client (pg_dump, pg_restore)"
    cover = make_image(title="صورة الجسر")
    article = make_article(make_section(title="أخبار"), title="افتتاح الجسر الجديد", cover_image=cover)
    make_article(make_section(title="رأي"), title="مسودة", live=False)
    for number in range(3):
        Comment.objects.create(
            article=article, author_name=f"قارئ {number}", body=f"تعليق {number}", status=CommentStatus.APPROVED
        )
    source_articles = [(a.pk, a.title, a.slug, a.live) for a in ArticlePage.objects.order_by("pk")]
    source_comments = list(Comment.objects.order_by("pk").values_list("pk", "author_name", "body", "status"))
    archives = tmp_path / "archives"
    archives.mkdir()

    # The test's data folder is tmp_path: its media folder is where make_image saved the cover.
    backup = run_minbar(tmp_path, "backup", "--output", archives, database_url=database_url(connection.settings_dict["NAME"]))
    assert backup.returncode == 0, backup.stderr
    (archive_path,) = archives.glob("minbar-backup-*.tar")

    restored_site = tmp_path / "restored-site"
    target = database_url(scratch_database)
    restore = run_minbar(restored_site, "restore", archive_path, database_url=target)

    assert restore.returncode == 0, restore.stderr
    assert rows(scratch_database, ARTICLES_SQL) == source_articles
    assert rows(scratch_database, COMMENTS_SQL) == source_comments
    assert (restored_site / "media" / cover.file.name).read_bytes() == (tmp_path / "media" / cover.file.name).read_bytes()

    with server(dbname=scratch_database, autocommit=True) as writer:
        writer.execute("UPDATE comments_comment SET body = 'كتب بعد الاستعادة' WHERE id = %s", [source_comments[0][0]])
    changed = rows(scratch_database, COMMENTS_SQL)

    refused = run_minbar(restored_site, "restore", archive_path, database_url=target)
    assert refused.returncode == 1
    with translation.override("ar"):
        assert str(restoring.SITE_EXISTS).split("%(what)s")[0] in refused.stderr
    assert rows(scratch_database, COMMENTS_SQL) == changed

    forced = run_minbar(restored_site, "restore", "--force", archive_path, database_url=target)
    assert forced.returncode == 0, forced.stderr
    assert rows(scratch_database, COMMENTS_SQL) == source_comments
    assert rows(scratch_database, ARTICLES_SQL) == source_articles
