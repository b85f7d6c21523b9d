"""The engine follows the database; each keeps its own index in step with the entries."""

import pytest
from django.db import connection

from minbar.search.backends import engine
from minbar.search.backends.postgres import PostgresEngine
from minbar.search.backends.sqlite import SqliteEngine
from minbar.search.models import SearchEntry

from .conftest import paragraphs

pytestmark = pytest.mark.django_db

only_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="inspects SQLite's FTS5 table")
only_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="inspects PostgreSQL's tsvector")


def test_the_engine_is_the_one_of_the_database_in_use():
    expected = {"sqlite": SqliteEngine, "postgresql": PostgresEngine}[connection.vendor]
    assert isinstance(engine(), expected)


def test_an_entry_holds_the_title_and_body_as_forms_and_stems(publish, section):
    article = publish(section, "عودة الأسرى", paragraphs("عاد الأسرى إلى قراهم."), tags=["الريف"])
    entry = SearchEntry.objects.get(pk=article.pk)
    assert entry.title_forms == "عوده الاسري"
    assert entry.title_stems == "عود اسر"
    # Summary, body, authors and tags all go into the body columns.
    assert entry.body_forms.startswith("عاد الاسري الي قراهم")
    assert "دلشاد يوسف" in entry.body_forms and "الريف" in entry.body_forms


def _fts_rowids(term):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [f'"{term}"'])
        return {row[0] for row in cursor.fetchall()}


@only_sqlite
def test_fts5_table_follows_inserts_updates_and_deletes(publish, republish, unpublish, section):
    article = publish(section, "السدود الصغيرة", paragraphs("تحفظ السدود مياه الأمطار."))
    assert _fts_rowids("سدود") == {article.pk}

    republish(article, title="الينابيع الصغيرة", body=paragraphs("تجري الينابيع بعد الأمطار."))
    assert _fts_rowids("سدود") == set()
    assert _fts_rowids("ينابيع") == {article.pk}

    unpublish(article)
    assert _fts_rowids("ينابيع") == set()


@only_postgres
def test_postgres_vector_weights_title_forms_title_stems_body_forms_body_stems(publish, section):
    article = publish(section, "الأسرى", paragraphs("الأسرة"), authors=[])
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_searchentry WHERE article_id = %s", [article.pk])
        (vector,) = cursor.fetchone()
    # Title form at 1 (A), title stem at 2 (B), body form at 3 (C), body stem at 4 (D) …
    assert "'الاسري':1A" in vector
    assert "'اسر':2B,4" in vector  # weight D is the default, printed without a letter
    assert "'الاسره':3C" in vector


@only_postgres
def test_postgres_uses_the_gin_index_for_matching(publish, section):
    publish(section, "الأسرى", paragraphs("عاد الأسرى."))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT article_id FROM search_searchentry WHERE vector @@ to_tsquery('simple', 'اسر')")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_vector_gin" in plan
