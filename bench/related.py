#!/usr/bin/env python3
"""Benchmark "read also" on the ANT corpus: precision@4 against the corpus categories.

The corpus labels each of its 10,161 articles with one of 9 categories, and
`minbar import-jsonl` files each article in the section of its category. For
each article we take its 4 related articles and count how many share its
category (precision@4, averaged over the articles). Measured in one run:

  * Minbar: the lists `minbar.related` computes and stores (TF-IDF over the
    analysed stems, title-weighted; ranking by BM25 / ts_rank_cd);
  * baseline "latest in the same section": the 4 newest other articles of the
    article's section. Its precision is 1.0 by construction (it reads the
    answer key) and it is unrelated in subject: the ceiling, not a rival;
  * baseline "PostgreSQL `arabic` similarity" (PostgreSQL run only): the words
    of the article's title OR-ed in a `to_tsquery('arabic', …)`, ranked by
    `ts_rank_cd` over title (A) and body (D); the top 4 other articles.

Results go to bench/related-results.md and bench/related-last-run.json. Run:

    .venv/bin/python bench/related.py

Options: --engines sqlite,postgres  --limit N (import only N articles)  --keep.
"""

import argparse
import json
import shlex
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

K = 4
TARGET = 0.75
POSTGRES_DATABASE = "minbar_bench_related"


def precision(lists, category):
    """Mean over articles of the share of their (up to K) related articles in the same category."""
    scores = [
        sum(category.get(other) == category.get(article) for other in others[:K]) / K
        for article, others in lists.items()
        if category.get(article) is not None
    ]
    return round(statistics.mean(scores), 3) if scores else None, len(scores)


def child(engine, arguments):
    import django

    django.setup()
    from django.db import connection

    from minbar.imports.models import ImportRecord
    from minbar.newsroom.models import ArticlePage
    from minbar.related import services
    from minbar.related.models import RelatedArticle, RelatedSource

    documents = {document["id"]: document for document in corpus.read_corpus()}
    page_to_source = dict(ImportRecord.objects.filter(source="jsonl").values_list("page_id", "external_key"))
    category = {page: documents[source]["category"] for page, source in page_to_source.items() if source in documents}
    page_ids = sorted(category)
    result = {"engine": engine, "articles": len(page_ids), "categories": dict(Counter(category.values()))}

    started = time.perf_counter()
    services.refresh(page_ids, neighbours=False)
    seconds = time.perf_counter() - started
    result["minbar_seconds"] = round(seconds, 1)
    result["minbar_ms_per_article"] = round(seconds * 1000 / max(1, len(page_ids)), 2)
    lists = {}
    for article_id, related_id in RelatedArticle.objects.order_by("article_id", "rank").values_list("article_id", "related_id"):
        lists.setdefault(article_id, []).append(related_id)
    result["minbar"], result["minbar_scored"] = precision(lists, category)
    # Lists are filled up from the same author or section when the text finds
    # fewer than K: count the articles whose list needed that.
    text_counts = Counter(
        RelatedArticle.objects.filter(source=RelatedSource.TEXT).values_list("article_id", flat=True)
    )
    result["minbar_short_lists"] = sum(1 for page in page_ids if text_counts[page] < K)

    # Baseline: the newest other articles of the same section.
    newest = {}
    rows = ArticlePage.objects.live().order_by("-first_published_at", "-pk").values_list("pk", "path")
    by_section = {}
    for pk, path in rows:
        by_section.setdefault(path[:-4], []).append(pk)
    for pk, path in rows:
        newest[pk] = [other for other in by_section[path[:-4]] if other != pk][:K]
    result["latest_in_section"], _ = precision(newest, category)

    if engine == "postgres":
        started = time.perf_counter()
        similar = _postgres_arabic_similarity(connection, page_to_source, documents)
        result["postgres_arabic_seconds"] = round(time.perf_counter() - started, 1)
        result["postgres_arabic"], _ = precision(similar, category)
    print(json.dumps(result, ensure_ascii=False))


def _postgres_arabic_similarity(connection, page_to_source, documents):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_related_arabic")
        cursor.execute("CREATE TABLE bench_related_arabic (page integer PRIMARY KEY, title text, body text, document tsvector)")
        cursor.executemany(
            "INSERT INTO bench_related_arabic (page, title, body) VALUES (%s, %s, %s)",
            [(page, documents[source]["title"], documents[source]["body"]) for page, source in page_to_source.items()],
        )
        cursor.execute(
            "UPDATE bench_related_arabic SET document = setweight(to_tsvector('arabic', title), 'A') "
            "|| setweight(to_tsvector('arabic', body), 'D')"
        )
        cursor.execute("CREATE INDEX bench_related_arabic_document ON bench_related_arabic USING gin (document)")
        cursor.execute("ANALYZE bench_related_arabic")
        lists = {}
        for page in page_to_source:
            cursor.execute(
                "WITH query AS (SELECT NULLIF(replace(plainto_tsquery('arabic', title)::text, '&', '|'), '')::tsquery AS q "
                "FROM bench_related_arabic WHERE page = %s) "
                "SELECT other.page FROM bench_related_arabic other, query "
                "WHERE query.q IS NOT NULL AND other.document @@ query.q AND other.page <> %s "
                "ORDER BY ts_rank_cd(other.document, query.q) DESC LIMIT %s",
                [page, page, K],
            )
            lists[page] = [row[0] for row in cursor.fetchall()]
    return lists


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--output", default=str(corpus.BENCH / "related-results.md"))
    arguments = parser.parse_args()
    if arguments.child:
        return child(arguments.child, arguments)

    command = "$ " + shlex.join([".venv/bin/python", "bench/related.py", *sys.argv[1:]])
    runs = corpus.measure_engines(
        Path(__file__).resolve(), arguments.engines.split(","), POSTGRES_DATABASE, arguments.limit, arguments.keep,
        [],
    )
    write_report(runs, command, Path(arguments.output))


def write_report(runs, command, output):
    lines = corpus.record(runs, command, output.with_name("related-last-run.json"), "# Read also: precision@4 on the ANT corpus") + [
        "precision@4: for each article, the share of its 4 related articles that carry its corpus category; "
        f"the mean over all articles. Target above {TARGET}.",
        "",
        "| engine | articles | Minbar (TF-IDF, stored) | time per article | latest in the same section | PostgreSQL `arabic` similarity |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        arabic = run.get("postgres_arabic")
        lines.append(
            f"| {run['engine']} | {run['articles']} | **{run['minbar']}** | {run['minbar_ms_per_article']} ms | "
            f"{run['latest_in_section']} | {arabic if arabic is not None else '– (PostgreSQL only)'} |"
        )
    lines += [
        "",
        "\"Latest in the same section\" scores 1.0 by construction here (the section *is* the category): it is the "
        "ceiling of this measure, not a related-articles method; its lists share nothing but the section.",
        "",
    ]
    for run in runs:
        lines.append(
            f"- {run['engine']}: corpus imported in {run['import_seconds']} s; "
            f"{run['minbar_short_lists']} articles got fewer than {K} text-related articles."
        )
    output.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
