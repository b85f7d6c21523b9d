#!/usr/bin/env python3
"""Benchmark a breaking-news spike: 64 readers on one article for 2 minutes while 5 comments a second are posted and approved.

Starts the production setup on loopback, every server private to the run:
a PostgreSQL cluster (initdb in a temporary folder), Redis, an SMTP server,
the site migrated into them and served by granian as `minbar run --production`
serves it (2 workers), with the background worker. Then runs tests/production/spike.py,
the same code as the test (which runs it for 20 s):

- 64 connections, each kept alive, read the article page again and again;
- 5 comments a second are posted as comments.js posts them, each by a new
  reader on its own network, held for review and approved by an editor
  through the moderation service;
- one more reader reads the article newest first and notes when each
  approved comment first shows: the visibility delay after its approval.

Checked: no errors (every read 200, every post 201), each comment visible
within 2 s of its approval, none lost (every approved comment on the page
and in the database). Results: bench/spike-results.md.

    .venv/bin/python bench/spike.py                 # 120 s, served as `minbar run --production` serves
    .venv/bin/python bench/spike.py --seconds 30
    .venv/bin/python bench/spike.py --threads default,2,64   # granian threads per worker, side by side
"""

import argparse
import datetime
import json
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from article_page import machine_note  # noqa: E402

from tests.production import servers, spike  # noqa: E402


def log(message):
    print(f"[spike] {message}", file=sys.stderr, flush=True)


def _cell(value, unit=""):
    return "–" if value is None else f"{value}{unit}"


def _counts(counter):
    return ", ".join(f"{count}×{key}" for key, count in sorted(counter.items(), key=lambda item: str(item[0])))


ROWS = [
    ("article reads", lambda f: f"{f['reads']} ({_cell(f['reads_per_second'])}/s)"),
    ("read statuses", lambda f: _counts(f["read_statuses"])),
    ("reads answered from the page cache as", lambda f: _counts(f["read_cache"])),
    ("read latency p50 / p95 / p99 / max", lambda f: " / ".join(
        _cell(f[key], " ms") for key in ("read_p50_ms", "read_p95_ms", "read_p99_ms", "read_max_ms"))),
    ("reads with no answer", lambda f: f["read_errors"]),
    ("comments posted (one every 1/rate s, each by a new reader)", lambda f: f"{f['posted']} of {int(f['rate'] * f['seconds'])}; "
     f"the last answered at {f['posting_seconds']} s"),
    ("post statuses", lambda f: _counts(f["post_statuses"])),
    ("post latency p50 / p95", lambda f: f"{_cell(f['post_p50_ms'], ' ms')} / {_cell(f['post_p95_ms'], ' ms')}"),
    ("comments approved / seen on the page", lambda f: f"{f['approved']} / {f['visible']}"),
    ("**visibility after approval p50 / p95 / max**", lambda f: " / ".join(
        _cell(f[key], " s") for key in ("visibility_p50_s", "visibility_p95_s", "visibility_max_s"))),
    ("newest-first reads by the watcher", lambda f: f["newest_first_reads"]),
    ("new comments in the database", lambda f: f["stored_new_comments"]),
    ("comments stored although the reader was told they were not", lambda f: f.get("stored_although_refused", 0)),
    ("requests sent again on a new connection", lambda f: f["resent_on_new_connection"]),
    ("**verdict**", lambda f: "all checks passed" if not f["problems"] else "FAILED"),
]


def render(run):
    results = run["results"]
    lines = [
        "# Benchmark results: breaking-news spike",
        "",
        f"- Date: {run['date']}",
        f"- Code: `{run['commit']}`",
        f"- Machine: {run['machine']}",
        f"- Produced by: `{run['command']}`",
        f"- Spike: {run['connections']} reader connections on one article for {run['seconds']} s while "
        f"{run['rate']:g} comments a second are posted (each by a new reader on its own network) and approved "
        "through the moderation service; the article holds every comment for review.",
        f"- Site: {run['setup']}",
        f"- Server: `{run['server_command']}` (what `minbar run --production` starts), with the background worker.",
        "- Load generator: Python threads with http.client on the same machine, one kept-alive connection per "
        "reader; it competes with the server for the same cores.",
        "- Each column is a fresh set of servers; setup time (migrate, collectstatic) is not counted.",
        "",
        "| | " + " | ".join(result["label"] for result in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    for name, show in ROWS:
        lines.append(f"| {name} | " + " | ".join(str(show(result["figures"])) for result in results) + " |")
    lines.append("")
    for result in results:
        if result["figures"]["problems"]:
            lines += [f"Problems ({result['label']}):", ""]
            lines += [f"- {problem}" for problem in result["figures"]["problems"]] + [""]
    lines += [
        "Visibility is measured from the moment the approval was committed (the moderation service returned) to "
        "the end of the first newest-first read of the anonymous article page (through the page cache) showing "
        "the comment. At the end every approved comment is looked for on the page with all comments shown "
        "(`?order=newest&all=1`) and in the database.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120, help="length of the spike (default 120)")
    parser.add_argument("--connections", type=int, default=64, help="reader connections (default 64)")
    parser.add_argument("--rate", type=float, default=5.0, help="comments posted and approved per second (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument(
        "--threads", default="default",
        help="granian Python threads per worker to compare, comma-separated; 'default' is what "
             "`minbar run --production` starts (e.g. default,2,16)",
    )
    parser.add_argument("--output", default=str(BENCH / "spike-results.md"))
    args = parser.parse_args()

    from minbar.cli import granian_command

    run = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "machine": machine_note(),
        "commit": subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True,
                                 text=True).stdout.strip(),
        "command": ".venv/bin/python " + shlex.join(["bench/spike.py", *sys.argv[1:]]),
        "python": platform.python_version(),
        "seconds": args.seconds,
        "connections": args.connections,
        "rate": args.rate,
        "server_command": shlex.join(
            ["python", *granian_command(servers.LOOPBACK, "<port>", args.workers, production=True)[1:]]
        ),
        "results": [],
    }
    for threads in [value.strip() for value in args.threads.split(",") if value.strip()]:
        threads = None if threads == "default" else int(threads)
        label = "as `minbar run --production`" if threads is None else f"--blocking-threads {threads}"
        log(f"[{label}] starting PostgreSQL, Redis, SMTP and the site (about half a minute)")
        began = time.monotonic()
        with servers.production(workers=args.workers, threads=threads) as production:
            setup_seconds = round(time.monotonic() - began, 1)
            run["setup"] = (
                f"production settings, {args.workers} granian workers; private PostgreSQL "
                f"{production.postgres.bin.parent.name} and Redis on loopback"
            )
            log(f"[{label}] {args.connections} readers for {args.seconds} s, {args.rate:g} comments/s posted and approved")
            figures = spike.run(production, seconds=args.seconds, connections=args.connections, rate=args.rate)
        run["results"].append({"label": label, "setup_seconds": setup_seconds, "figures": figures})
        (BENCH / "spike-last-run.json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
        Path(args.output).write_text(render(run), encoding="utf-8")
    log(f"wrote {args.output}")
    failed = [result["label"] for result in run["results"] if result["figures"]["problems"]]
    if failed:
        raise SystemExit(f"spike checks failed for: {', '.join(failed)}; see {args.output}")


if __name__ == "__main__":
    main()
