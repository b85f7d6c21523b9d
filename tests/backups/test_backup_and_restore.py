"""An operator backs up a running SQLite site and restores it: the same articles, comments and images come back."""

import io
import json
import sqlite3
import stat
import tarfile
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.images.models import Image, Rendition

from minbar.backups import archive, restoring, services
from minbar.comments.models import Comment, CommentStatus
from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_image, make_section

from .conftest import database_file, fingerprint, run_minbar


class CommentWriter:
    """Readers commenting on `article` from a thread of their own, one comment per write, until stopped."""

    def __init__(self, article):
        self.article_id = article.pk
        self.count = 0
        self.errors = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.write, daemon=True)

    def write(self):
        from django.db import connection

        try:
            while not self.stopping.is_set():
                Comment.objects.create(
                    article_id=self.article_id,
                    author_name=f"قارئ {self.count + 1}",
                    body=f"تعليق رقم {self.count + 1} كتب أثناء النسخ الاحتياطي",
                    status=CommentStatus.APPROVED,
                )
                self.count += 1
                time.sleep(0.005)
        except Exception as error:  # the test reports it; a lost write is what it looks for
            self.errors.append(repr(error))
        finally:
            connection.close()

    def wait_for(self, count, seconds=30):
        deadline = time.monotonic() + seconds
        while self.count < count and not self.errors and time.monotonic() < deadline:
            time.sleep(0.01)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.thread.join(timeout=30)


def only_archive_in(folder):
    (path,) = folder.glob("minbar-backup-*.tar")
    return path


def articles():
    return list(ArticlePage.objects.order_by("pk").values_list("pk", "title", "slug", "live"))


def comment_rows():
    return list(Comment.objects.order_by("pk").values_list("pk", "author_name", "body", "status"))


def test_a_backup_taken_while_readers_comment_restores_into_a_fresh_data_folder(site, archives, tmp_path):
    section = make_section(title="شؤون محلية")
    cover = make_image(title="صورة السوق")
    article = make_article(section, title="ترميم السوق القديم", cover_image=cover)
    make_article(section, title="مسودة لم تنشر", live=False)
    rendition = cover.get_rendition("fill-32x20")
    Comment.objects.create(article=article, author_name="سلمى", body="متى يفتح السوق؟", status=CommentStatus.APPROVED)

    with CommentWriter(article) as writer:
        writer.wait_for(5)
        comments_before_backup = Comment.objects.count()
        backup = site.minbar("backup", "--output", archives)
        writer.wait_for(writer.count + 5)
    assert backup.returncode == 0, backup.stderr
    assert writer.errors == []
    source_articles, source_comments = articles(), comment_rows()
    source_image_bytes = (site.media / cover.file.name).read_bytes()
    source_rendition_bytes = (site.media / rendition.file.name).read_bytes()

    fresh = tmp_path / "fresh-site"
    restore = run_minbar(fresh, "restore", only_archive_in(archives))

    assert restore.returncode == 0, restore.stderr
    with database_file(fresh / "minbar.sqlite3"):
        assert articles() == source_articles
        restored_comments = comment_rows()
        assert Image.objects.count() == 1 and Rendition.objects.count() == 1
    # A snapshot: every comment written before the backup began, none half-way,
    # exactly the first ones in the order they were written.
    assert comments_before_backup <= len(restored_comments) < len(source_comments)
    assert restored_comments == source_comments[: len(restored_comments)]
    assert (fresh / "media" / cover.file.name).read_bytes() == source_image_bytes
    assert (fresh / "media" / rendition.file.name).read_bytes() == source_rendition_bytes


def test_the_archive_is_private_and_lists_every_file_with_its_checksum(site, archives):
    cover = make_image(title="صورة")
    make_article(make_section(), title="خبر", cover_image=cover)

    call_command("backup", stdout=io.StringIO())

    (path,) = (site.data_dir / "backups").glob("minbar-backup-*.tar")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["format"] == "minbar-backup" and manifest["engine"] == "sqlite"
    assert manifest["migrations"]["newsroom"].startswith("0")
    assert manifest["secret_key_included"] is False and "secret_key" not in names
    assert {entry["path"] for entry in manifest["files"]} == names - {"manifest.json"}
    assert f"media/{cover.file.name}" in names
    assert archive.verify(path).manifest == manifest


def test_a_backup_never_overwrites_a_file(site, archives):
    older = archives / "nightly.tar"
    older.write_bytes(b"last night's backup")

    with translation.override("en"), pytest.raises(CommandError) as refusal:
        call_command("backup", output=older, stdout=io.StringIO())

    assert refusal.value.returncode == 1
    with translation.override("en"):
        assert str(refusal.value) == str(services.OUTPUT_EXISTS % {"path": older})
    assert older.read_bytes() == b"last night's backup"
    assert [path.name for path in archives.iterdir()] == ["nightly.tar"]


def test_the_secret_key_travels_only_when_asked_and_stays_private(site, archives, tmp_path, settings):
    key = (site.data_dir / "secret_key").read_text()
    out = io.StringIO()
    call_command("backup", output=archives, include_secret_key=True, stdout=out)
    fresh = tmp_path / "fresh-site"

    restore = run_minbar(fresh, "restore", only_archive_in(archives))

    assert restore.returncode == 0, restore.stderr
    assert (fresh / "secret_key").read_text() == key
    assert stat.S_IMODE((fresh / "secret_key").stat().st_mode) == 0o600


def test_restoring_over_a_site_with_content_needs_force_and_changes_nothing_without_it(site, archives):
    make_article(make_section(), title="مقال قائم", cover_image=make_image())
    call_command("backup", output=archives, stdout=io.StringIO())
    before = fingerprint(site.data_dir)

    refused = site.minbar("restore", only_archive_in(archives))

    assert refused.returncode == 1
    with translation.override("ar"):
        reasons = f"{restoring.HAS_DATABASE}; {restoring.HAS_MEDIA}"
        assert str(restoring.SITE_EXISTS % {"what": reasons}) in refused.stderr
    assert fingerprint(site.data_dir) == before


def test_a_forced_restore_replaces_the_content_and_drops_the_cached_pages(site, archives, client):
    article = make_article(make_section(), title="العنوان كما كان يوم النسخ")
    call_command("backup", output=archives, stdout=io.StringIO())
    article.title = "عنوان كتب بعد النسخ"
    article.save_revision().publish()
    Comment.objects.create(article=article, author_name="هيوا", body="تعليق بعد النسخ", status=CommentStatus.APPROVED)
    client.get(article.url)
    cached = client.get(article.url)
    assert cached["X-Cache"] == "hit" and "عنوان كتب بعد النسخ" in cached.content.decode()

    restore = site.minbar("restore", "--force", only_archive_in(archives))

    assert restore.returncode == 0, restore.stderr
    page = client.get(article.url)
    assert page["X-Cache"] == "miss"
    assert "العنوان كما كان يوم النسخ" in page.content.decode()
    assert "عنوان كتب بعد النسخ" not in page.content.decode()
    assert not Comment.objects.filter(body="تعليق بعد النسخ").exists()


def test_a_restore_waits_for_the_site_to_let_go_of_the_database(site, archives, monkeypatch):
    make_article(make_section(), title="مقال")
    call_command("backup", output=archives, stdout=io.StringIO())
    before = fingerprint(site.data_dir)
    monkeypatch.setattr("minbar.backups.databases.SQLITE_BUSY_SECONDS", 0.2)
    running_site = sqlite3.connect(site.database)
    running_site.execute("BEGIN IMMEDIATE")
    try:
        with translation.override("en"), pytest.raises(CommandError) as refusal:
            call_command("restore", str(only_archive_in(archives)), force=True, stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        running_site.rollback()
        running_site.close()
    assert refusal.value.returncode == 1
    with translation.override("en"):
        assert str(refusal.value) == str(restoring.DATABASE_IN_USE % {"path": site.database})
    assert fingerprint(site.data_dir) == before


def test_a_restore_that_fails_half_way_puts_the_site_back_as_it_was(site, archives, monkeypatch):
    make_article(make_section(), title="مقال في النسخة", cover_image=make_image())
    call_command("backup", output=archives, include_secret_key=True, stdout=io.StringIO())
    make_article(make_section(), title="مقال بعد النسخة", cover_image=make_image(color=(10, 90, 200)))
    before = fingerprint(site.data_dir)
    key = (site.data_dir / "secret_key").read_bytes()

    def migrate_fails(*args, **options):
        raise CommandError("the schema could not be brought up to date")

    monkeypatch.setattr("minbar.backups.services.call_command", migrate_fails)
    with translation.override("en"), pytest.raises(CommandError) as failure:
        call_command("restore", str(only_archive_in(archives)), force=True, stdout=io.StringIO(), stderr=io.StringIO())

    assert failure.value.returncode == 1
    with translation.override("en"):
        assert str(failure.value) == str(
            restoring.PUT_BACK % {"error": "the schema could not be brought up to date"}
        )
    assert fingerprint(site.data_dir) == before
    assert (site.data_dir / "secret_key").read_bytes() == key
    # Nothing staged or set aside is left behind (their names start with a dot).
    assert list(site.data_dir.glob(".*")) == []
