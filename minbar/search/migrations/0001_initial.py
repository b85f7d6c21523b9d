"""Search entries, spelling variants, term statistics, and each engine's own index.

SQLite: an external-content FTS5 table over the entries' four text columns,
kept in step by triggers. PostgreSQL: a tsvector column filled by a trigger with weights
A–D (title forms, title stems, body forms, body stems) and a GIN index on it.
Each engine's part runs only on that engine, so the migration works on both.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title_forms, title_stems, body_forms, body_stems,
        content='search_searchentry', content_rowid='article_id',
        tokenize='ascii'
    )
    """,
    """
    CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts (rowid, title_forms, title_stems, body_forms, body_stems)
        VALUES (new.article_id, new.title_forms, new.title_stems, new.body_forms, new.body_stems);
    END
    """,
    """
    CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_forms, title_stems, body_forms, body_stems)
        VALUES ('delete', old.article_id, old.title_forms, old.title_stems, old.body_forms, old.body_stems);
    END
    """,
    """
    CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_forms, title_stems, body_forms, body_stems)
        VALUES ('delete', old.article_id, old.title_forms, old.title_stems, old.body_forms, old.body_stems);
        INSERT INTO search_fts (rowid, title_forms, title_stems, body_forms, body_stems)
        VALUES (new.article_id, new.title_forms, new.title_stems, new.body_forms, new.body_stems);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_updated",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN vector tsvector",
    """
    CREATE FUNCTION search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector :=
            setweight(to_tsvector('simple', NEW.title_forms), 'A') ||
            setweight(to_tsvector('simple', NEW.title_stems), 'B') ||
            setweight(to_tsvector('simple', NEW.body_forms), 'C') ||
            setweight(to_tsvector('simple', NEW.body_stems), 'D');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE ON search_searchentry
    FOR EACH ROW EXECUTE FUNCTION search_entry_vector()
    """,
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "DROP TRIGGER IF EXISTS search_entry_vector ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_entry_vector()",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]

ENGINE_STORAGE = {"sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD), "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)}


def _run(schema_editor, direction):
    statements = ENGINE_STORAGE.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(
            f"minbar.search supports SQLite and PostgreSQL, not {schema_editor.connection.vendor}"
        )
    for statement in statements[direction]:
        schema_editor.execute(statement)


def create_engine_storage(apps, schema_editor):
    _run(schema_editor, 0)


def drop_engine_storage(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("article_id", models.IntegerField(primary_key=True, serialize=False)),
                ("title_forms", models.TextField(blank=True)),
                ("title_stems", models.TextField(blank=True)),
                ("body_forms", models.TextField(blank=True)),
                ("body_stems", models.TextField(blank=True)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name="SpellingVariant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "variant",
                    models.CharField(
                        help_text="One word as some writers or readers spell it, e.g. كوردستان.",
                        max_length=100,
                        unique=True,
                        verbose_name="variant spelling",
                    ),
                ),
                (
                    "canonical",
                    models.CharField(
                        help_text="The same word as search should treat it, e.g. كردستان.",
                        max_length=100,
                        verbose_name="standard spelling",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "spelling variant",
                "verbose_name_plural": "spelling variants",
                "ordering": ["variant"],
            },
        ),
        migrations.CreateModel(
            name="TermStatistic",
            fields=[
                ("term", models.TextField(primary_key=True, serialize=False)),
                ("documents", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_engine_storage, drop_engine_storage, elidable=False),
    ]
