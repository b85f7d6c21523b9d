"""Shared by the search and related-articles benchmarks: the corpus and its scratch sites.

The ANT corpus (10,161 Tunisian Arabic news articles, see ../shared/data/README.md)
is test input only. Each benchmark loads it into a throwaway site, one on SQLite
in a temporary data folder and one in a scratch PostgreSQL database, with
`minbar import-jsonl`, then measures inside a child process that has Django set
up on that site.
"""

import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant-corpus" / "ant_v1.1_normalized.jsonl"
POSTGRES_ADMIN_URL = os.environ.get("MINBAR_BENCH_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def read_corpus(path=CORPUS):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def postgres_url(database):
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


def recreate_postgres_database(database):
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')


def site_environment(engine, data_dir, database):
    """Environment variables for a `minbar` process working on one scratch site."""
    environment = dict(os.environ)
    environment["MINBAR_DATA_DIR"] = str(data_dir)
    environment["DJANGO_SETTINGS_MODULE"] = "minbar.settings.dev"
    environment.pop("REDIS_URL", None)
    environment.pop("CACHE_URL", None)
    if engine == "postgres":
        environment["DATABASE_URL"] = postgres_url(database)
    else:
        environment.pop("DATABASE_URL", None)
    return environment


def load_corpus_site(engine, database, limit=None, keep_dir=None):
    """Create a scratch site on `engine` and import the corpus; returns (environment, seconds, data_dir)."""
    data_dir = Path(keep_dir or tempfile.mkdtemp(prefix=f"minbar-bench-{engine}-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    if engine == "postgres":
        recreate_postgres_database(database)
    environment = site_environment(engine, data_dir, database)
    subprocess.run([str(VENV_BIN / "minbar"), "manage", "migrate", "--verbosity", "0"], env=environment, check=True)
    command = [str(VENV_BIN / "minbar"), "import-jsonl", str(CORPUS)]
    if limit:
        command += ["--limit", str(limit)]
    started = time.perf_counter()
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: some lines skipped, reported below
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"import-jsonl failed on {engine}")
    return environment, seconds, data_dir


def run_child(script, engine, environment, arguments):
    """Run `script --child ENGINE …` with Django set up on the scratch site; returns its JSON."""
    environment = dict(environment)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), str(ROOT), environment.get("PYTHONPATH")]))
    result = subprocess.run(
        [str(VENV_BIN / "python"), str(script), "--child", engine, *arguments],
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{script.name} child on {engine} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure_engines(script, engines, database, limit, keep, child_arguments=()):
    """For each engine: a scratch site with the corpus, then the script's child measuring in it."""
    runs = []
    for engine in engines:
        print(f"[{engine}] importing the corpus…", file=sys.stderr, flush=True)
        environment, import_seconds, data_dir = load_corpus_site(engine, database, limit)
        print(f"[{engine}] measuring…", file=sys.stderr, flush=True)
        result = run_child(script, engine, environment, list(child_arguments))
        result["import_seconds"] = round(import_seconds, 1)
        runs.append(result)
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return runs


def record(runs, command, json_path, title):
    """Write the raw numbers to `json_path`; return the report's opening lines."""
    recorded = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()}",
        "command": command,
        "runs": runs,
    }
    json_path.write_text(json.dumps(recorded, ensure_ascii=False, indent=2) + "\n")
    return [title, "", f"Recorded {recorded['date']} on {recorded['machine']}.", "", "```", command, "```", ""]
