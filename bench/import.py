#!/usr/bin/env python3
"""Benchmark `minbar import-wordpress` on a large generated export, on the embedded SQLite default.

Steps, each in a fresh process so that its peak memory is its own:

  1. `bench/wxr_generate.py` writes a WXR 1.2 file (default 20,000 posts and
     200,000 comments, Arabic text, wpDiscuz votes and ratings, series, all
     statuses) into a temporary folder;
  2. baseline: one pass of the WXR reader over the file (`wxr.census`), i.e.
     what merely reading the XML costs on this machine now;
  3. `minbar import-wordpress FILE` into a fresh data folder (SQLite, migrated
     by the command itself): wall time and peak resident memory (ru_maxrss of
     the child);
  4. the same command again: a re-run over an unchanged export must create
     nothing; its time is recorded too;
  5. the database is checked: articles, comments and replies equal to what the
     generator wrote (its summary file), no duplicate after the re-run.

Figures are given as seconds and as a ratio to the baseline of step 2 measured
in the same run (the machine is small and shared).

    .venv/bin/python bench/import.py                         # 20,000 posts, 200,000 comments
    .venv/bin/python bench/import.py --posts 2000 --comments 20000

Results: bench/import-results.md (appended table row) and bench/import-last-run.json.
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
LIMIT_SECONDS = 300
LIMIT_MEMORY_MB = 500


def peak_of(command, env):
    """Like run_child, but the peak is measured by a wrapper process so it is this child's own."""
    wrapper = (
        "import resource, subprocess, sys, time, json;"
        "t=time.perf_counter(); r=subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "s=time.perf_counter()-t;"
        "print(json.dumps({'rc': r.returncode, 'seconds': s,"
        " 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,"
        " 'out': r.stdout[-20000:], 'err': r.stderr[-5000:]}))"
    )
    completed = subprocess.run([PYTHON, "-c", wrapper, *command], env=env, capture_output=True, text=True, cwd=ROOT)
    result = json.loads(completed.stdout)
    if result["rc"] != 0:
        sys.stderr.write(result["out"] + result["err"])
        raise SystemExit(f"failed: {shlex.join(command)}")
    return result


def count_rows(env):
    script = (
        "import django, json; django.setup();"
        "from minbar.newsroom.models import ArticlePage;"
        "from minbar.comments.models import Comment;"
        "from minbar.imports.models import ImportRecord;"
        "print(json.dumps({'articles': ArticlePage.objects.count(),"
        " 'live_articles': ArticlePage.objects.live().count(),"
        " 'comments': Comment.objects.count(),"
        " 'replies': Comment.objects.filter(parent__isnull=False).count(),"
        " 'records': ImportRecord.objects.count()}))"
    )
    completed = subprocess.run([PYTHON, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(completed.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--comments", type=int, default=200000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="minbar-import-bench-"))
    export = work / "export.xml"
    env = dict(os.environ, MINBAR_DATA_DIR=str(work / "data"), DJANGO_SETTINGS_MODULE="minbar.settings.dev")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)

    print(f"Generating {args.posts} posts and {args.comments} comments …", flush=True)
    generate = [PYTHON, "bench/wxr_generate.py", str(export), "--posts", str(args.posts), "--comments", str(args.comments)]
    generated = peak_of(generate, env)
    size_mb = export.stat().st_size / 1e6

    print("Baseline: one pass of the reader …", flush=True)
    baseline = peak_of([PYTHON, "-c", (
        "import sys, json, django; django.setup(); from minbar.wordpress import wxr; c = wxr.census(sys.argv[1]);"
        "print(json.dumps({'items': c.items, 'comments': c.comments, 'replies': c.replies}))"
    ), str(export)], env)

    minbar = str(Path(PYTHON).with_name("minbar"))
    command = [minbar, "import-wordpress", str(export)]
    print("Import …", flush=True)
    first = peak_of(command, env)
    counts = count_rows(env)
    print("Re-run …", flush=True)
    second = peak_of(command, env)
    counts_after = count_rows(env)

    # What the file holds, as the reader counted it in the baseline pass.
    expected = json.loads(baseline["out"].strip().splitlines()[-1])

    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "python": platform.python_version(),
        "posts": args.posts,
        "comments": args.comments,
        "file_mb": round(size_mb, 1),
        "generate_seconds": round(generated["seconds"], 1),
        "baseline_parse_seconds": round(baseline["seconds"], 1),
        "baseline_parse_peak_mb": round(baseline["peak_mb"], 1),
        "import_seconds": round(first["seconds"], 1),
        "import_peak_mb": round(first["peak_mb"], 1),
        "import_vs_parse": round(first["seconds"] / baseline["seconds"], 1),
        "rerun_seconds": round(second["seconds"], 1),
        "rerun_peak_mb": round(second["peak_mb"], 1),
        "rerun_vs_parse": round(second["seconds"] / baseline["seconds"], 1),
        "counts_after_import": counts,
        "counts_after_rerun": counts_after,
        "expected": expected,
        "import_report": first["out"].strip().splitlines()[:60],
        "rerun_report": second["out"].strip().splitlines()[:30],
        "within_limits": first["seconds"] < LIMIT_SECONDS and first["peak_mb"] < LIMIT_MEMORY_MB,
        "rerun_created_nothing": counts == counts_after,
    }
    (ROOT / "bench" / "import-last-run.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    row = (
        f"| {result['date'][:10]} | {result['machine']} | {args.posts:,} / {args.comments:,} ({result['file_mb']} MB) "
        f"| {result['baseline_parse_seconds']} s | {result['import_seconds']} s ({result['import_vs_parse']}×) "
        f"| {result['import_peak_mb']} MB | {result['rerun_seconds']} s ({result['rerun_vs_parse']}×) "
        f"| {counts['articles']:,} / {counts['comments']:,} / {counts['replies']:,} "
        f"| {'yes' if result['rerun_created_nothing'] else 'NO'} |"
    )
    results = ROOT / "bench" / "import-results.md"
    if not results.exists():
        results.write_text(
            "# WordPress import benchmark\n\n"
            "`.venv/bin/python bench/import.py` (see its docstring). Limits from issue 5: under 300 s and 500 MB "
            "for 20,000 posts and 200,000 comments on SQLite.\n\n"
            "| date | machine | posts / comments (file) | baseline: one reader pass | import (× baseline) "
            "| import peak memory | re-run (× baseline) | articles / comments / replies stored | re-run created nothing |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
        )
    with results.open("a") as handle:
        handle.write(row + "\n")
    print(json.dumps({key: value for key, value in result.items() if "report" not in key}, ensure_ascii=False, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept: {work}")


if __name__ == "__main__":
    main()
