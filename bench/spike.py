#!/usr/bin/env python3
"""Benchmark a breaking-news spike: 64 readers on one article for 2 minutes while 5 comments a second are posted and approved.

Starts the production setup on loopback, every server private to the run:
a PostgreSQL cluster (initdb in a temporary folder), Redis, an SMTP server,
the site migrated into them and served by granian as `minbar run` serves it
(2 workers), with the background worker. Then runs tests/production/spike.py,
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

    .venv/bin/python bench/spike.py                 # 120 s
    .venv/bin/python bench/spike.py --seconds 30
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


def render(run):
    figures = run["figures"]
    verdict = "all checks passed" if not figures["problems"] else "FAILED: " + "; ".join(figures["problems"])

    def cell(value, unit=""):
        return "–" if value is None else f"{value}{unit}"

    lines = [
        "# Benchmark results: breaking-news spike",
        "",
        f"- Date: {run['date']}",
        f"- Code: `{run['commit']}`",
        f"- Machine: {run['machine']}",
        f"- Produced by: `{run['command']}` ({run['setup_seconds']} s to set up the servers)",
        f"- Site: {run['setup']}",
        f"- Server: `{run['server_command']}`",
        "- Load generator: Python threads with http.client on the same machine, one kept-alive connection per reader "
        "(it competes with the server for the same cores).",
        f"- Verdict: **{verdict}**",
        "",
        "| what | figure |",
        "|---|---:|",
        f"| duration | {figures['seconds']} s |",
        f"| reader connections | {figures['connections']} |",
        f"| article reads | {figures['reads']} ({cell(figures['reads_per_second'])}/s) |",
        f"| read statuses | {', '.join(f'{count}×{status}' for status, count in sorted(figures['read_statuses'].items()))} |",
        f"| read answers from the page cache | {', '.join(f'{count}×{kind}' for kind, count in sorted(figures['read_cache'].items()))} |",
        f"| read latency p50 / p95 / p99 / max | {cell(figures['read_p50_ms'], ' ms')} / {cell(figures['read_p95_ms'], ' ms')} "
        f"/ {cell(figures['read_p99_ms'], ' ms')} / {cell(figures['read_max_ms'], ' ms')} |",
        f"| read errors (no answer) | {figures['read_errors']} |",
        f"| comments posted (planned {int(figures['rate'] * figures['seconds'])}, {figures['rate']:g}/s) | "
        f"{figures['posted']} (one sent every {1 / figures['rate']:g} s; the last answered at {figures['posting_seconds']} s) |",
        f"| post statuses | {', '.join(f'{count}×{status}' for status, count in sorted(figures['post_statuses'].items()))} |",
        f"| post latency p50 / p95 | {cell(figures['post_p50_ms'], ' ms')} / {cell(figures['post_p95_ms'], ' ms')} |",
        f"| comments approved / seen on the page | {figures['approved']} / {figures['visible']} |",
        f"| visibility after approval p50 / p95 / max | {cell(figures['visibility_p50_s'], ' s')} / "
        f"{cell(figures['visibility_p95_s'], ' s')} / {cell(figures['visibility_max_s'], ' s')} |",
        f"| newest-first reads by the watcher | {figures['newest_first_reads']} |",
        f"| new comments in the database | {figures['stored_new_comments']} |",
        f"| requests sent again on a new connection (server closed a kept-alive one) | {figures['resent_on_new_connection']} |",
        "",
    ]
    if figures["problems"]:
        lines += ["Problems:", ""] + [f"- {problem}" for problem in figures["problems"]] + [""]
    lines += [
        "Visibility is measured from the moment the approval was committed (the moderation service returned) to the "
        "end of the first newest-first read of the anonymous article page (through the page cache) that shows the "
        "comment. All comments are checked at the end on the page with every comment shown (`?order=newest&all=1`) "
        "and in the database.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120, help="length of the spike (default 120)")
    parser.add_argument("--connections", type=int, default=64, help="reader connections (default 64)")
    parser.add_argument("--rate", type=float, default=5.0, help="comments posted and approved per second (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument("--output", default=str(BENCH / "spike-results.md"))
    args = parser.parse_args()

    run = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "machine": machine_note(),
        "commit": subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True,
                                 text=True).stdout.strip(),
        "command": ".venv/bin/python " + shlex.join(["bench/spike.py", *sys.argv[1:]]),
        "python": platform.python_version(),
    }
    log("starting PostgreSQL, Redis, SMTP and the site (about half a minute)")
    began = time.monotonic()
    with servers.production(workers=args.workers) as production:
        run["setup_seconds"] = round(time.monotonic() - began, 1)
        from minbar.cli import granian_command

        command = granian_command(servers.LOOPBACK, "<port>", args.workers)
        run["server_command"] = shlex.join(["python", *command[1:]])
        run["setup"] = (
            f"production settings; private PostgreSQL {production.postgres.bin.parent.name} and Redis on loopback; "
            "the article holds every comment for review"
        )
        log(f"spike: {args.connections} readers for {args.seconds} s, {args.rate:g} comments/s posted and approved")
        run["figures"] = spike.run(production, seconds=args.seconds, connections=args.connections, rate=args.rate)

    (BENCH / "spike-last-run.json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
    Path(args.output).write_text(render(run), encoding="utf-8")
    log(f"wrote {args.output}")
    if run["figures"]["problems"]:
        raise SystemExit("spike checks failed: " + "; ".join(run["figures"]["problems"]))


if __name__ == "__main__":
    main()
