"""Read also on PostgreSQL, from the scratch site bench/related.py left: PostgreSQL `arabic` similarity vs Minbar's stored lists on a seeded sample of 1,000 articles."""
import json, random, statistics, time, psycopg
docs = {}
for line in open('../shared/data/news/ant-corpus/ant_v1.1_normalized.jsonl'):
    d = json.loads(line); docs[d['id']] = d['category']
with psycopg.connect('postgres://postgres@127.0.0.1:5432/minbar_bench_related') as c:
    rec = dict(c.execute("select page_id, external_key from imports_importrecord where source='jsonl'").fetchall())
    cat = {p: docs.get(k) for p, k in rec.items()}
    ours = {}
    for a, r in c.execute("select article_id, related_id from related_relatedarticle order by article_id, rank"):
        ours.setdefault(a, []).append(r)
    sample = random.Random(2026).sample(sorted(cat), 1000)
    base = {}
    t = time.perf_counter()
    for page in sample:
        rows = c.execute(
            "WITH query AS (SELECT NULLIF(replace(plainto_tsquery('arabic', title)::text, '&', '|'), '')::tsquery AS q "
            "FROM bench_related_arabic WHERE page = %s) SELECT other.page FROM bench_related_arabic other, query "
            "WHERE query.q IS NOT NULL AND other.document @@ query.q AND other.page <> %s "
            "ORDER BY ts_rank_cd(other.document, query.q) DESC LIMIT 4", [page, page]).fetchall()
        base[page] = [r[0] for r in rows]
    secs = time.perf_counter() - t
def p(lists): return round(statistics.mean(sum(cat.get(o) == cat.get(a) for o in lists.get(a, [])[:4]) / 4 for a in sample), 3)
print(json.dumps({"sample": len(sample), "minbar": p(ours), "postgres_arabic": p(base), "postgres_arabic_ms_per_article": round(secs * 1000 / len(sample), 1)}))
