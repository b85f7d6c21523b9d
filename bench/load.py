#!/usr/bin/env python3
"""Benchmark the cached article page against the same bytes sent as a static file by the same server.

Starts the production setup on loopback, every server private to the run
(tests/production/servers.py, as the fault and spike tests do): a PostgreSQL
cluster, Redis, an SMTP server, and the site migrated into them and served by
granian exactly as `minbar run --production` serves it (one worker per core),
with an article holding 50 approved comments.

The physical limit: the article page's exact bytes (as the page cache sends
them, for each Accept-Encoding) are written into the collected static folder,
with their .br and .gz variants, and the server is restarted so that
whitenoise serves them as a static file. The same server then sends the
same bytes two ways:

  static   GET /static/bench-article.html   (whitenoise)
  page     GET /<the article>/               (the page cache: X-Cache: hit)

wrk (Debian's `wrk` package: `apt-get install wrk`) loads each for
--duration seconds, interleaved (static, page, static, page, …) for --rounds
rounds, so that the noise of this shared machine falls on both alike; the
figures are medians. Measured with `Accept-Encoding: gzip, br` (what
browsers send) and without any (identity), at 64 connections, and once at 1
connection for the latency floor. For context, the uncached page: every
request a new query string, so each is rendered (and stored) anew.

    .venv/bin/python bench/load.py                       # 10 s runs, 3 rounds
    .venv/bin/python bench/load.py --duration 20 --rounds 5

Results: bench/load-results.md and bench/load-last-run.json.
"""

import argparse
import datetime
import json
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from article_page import machine_note  # noqa: E402

from tests.production import servers  # noqa: E402

STATIC_NAME = "bench-article.html"
ENCODINGS = {"gzip, br": "br", "": None}
UNCACHED_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?bench=" .. counter .. "-" .. math.random(1, 1000000000))
end
"""


def log(message):
    print(f"[load] {message}", file=sys.stderr, flush=True)


def fetch(origin, path, accept_encoding):
    request = urllib.request.Request(origin + path, headers={"Accept-Encoding": accept_encoding} if accept_encoding else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), response.headers


def _seconds(value, unit):
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(url, connections, duration, accept_encoding, script=None):
    """Run wrk; return requests/s, latency percentiles (ms), errors."""
    threads = min(2, connections)
    command = ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    if accept_encoding:
        command += ["-H", f"Accept-Encoding: {accept_encoding}"]
    if script:
        command += ["-s", script]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    figures = {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for percent in ("50", "90", "99"):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        figures[f"p{percent}_ms"] = round(_seconds(*found.groups()) * 1000, 2)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    figures["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    figures["socket_errors"] = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    figures["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    return figures


def median_of(runs):
    keys = runs[0].keys()
    return {key: round(statistics.median(run[key] for run in runs), 2) for key in keys}


def write_static_copies(site, path):
    """The page's bytes, per encoding, as whitenoise serves a static file (file, .br, .gz)."""
    static_root = Path(site.env["MINBAR_DATA_DIR"]) / "static"
    plain, headers = fetch(site.origin, path, "")
    assert headers.get("X-Cache") in ("hit", "miss"), headers
    compressed = {}
    for accept, encoding in (("br", "br"), ("gzip", "gzip")):
        body, headers = fetch(site.origin, path, accept)
        assert headers.get("Content-Encoding") == encoding, headers
        compressed[encoding] = body
    (static_root / STATIC_NAME).write_bytes(plain)
    (static_root / f"{STATIC_NAME}.br").write_bytes(compressed["br"])
    (static_root / f"{STATIC_NAME}.gz").write_bytes(compressed["gzip"])
    return {"identity": len(plain), "br": len(compressed["br"]), "gzip": len(compressed["gzip"])}


def measure(args):
    results = {"machine": machine_note(), "started": datetime.datetime.now().isoformat(timespec="seconds")}
    workers = args.workers
    with servers.production(workers=workers) as production:
        site = production.site
        path = site.path("cached")
        log(f"site up at {site.origin}; article with 50 comments at {path}")
        results["sizes"] = write_static_copies(site, path)
        # whitenoise indexes the static folder when it starts: restart to serve the copies.
        site.stop()
        site.start()
        results["server"] = " ".join(shlex.quote(part) for part in site.command)
        page_url, static_url = site.origin + path, f"{site.origin}/static/{STATIC_NAME}"
        for accept in ENCODINGS:
            page, headers = fetch(site.origin, path, accept)
            static, static_headers = fetch(site.origin, f"/static/{STATIC_NAME}", accept)
            assert headers.get("X-Cache") == "hit", headers
            assert page == static, f"the static copy differs from the page for Accept-Encoding {accept!r}"
            results.setdefault("same_bytes_checked", []).append(accept or "identity")
        rows = {}
        for accept in ENCODINGS:
            label = accept or "identity"
            runs = {"static": [], "page": []}
            for round_number in range(args.rounds):
                for kind, url in (("static", static_url), ("page", page_url)):
                    figures = wrk(url, 64, args.duration, accept)
                    runs[kind].append(figures)
                    log(f"{label} c64 round {round_number + 1} {kind}: {figures['requests_per_second']:.0f} req/s, p99 {figures['p99_ms']} ms")
            rows[f"{label} c64"] = {kind: median_of(kind_runs) for kind, kind_runs in runs.items()}
            rows[f"{label} c64"]["runs"] = runs
        floor = {kind: wrk(url, 1, args.duration, "gzip, br") for kind, url in (("static", static_url), ("page", page_url))}
        rows["gzip, br c1"] = floor
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(UNCACHED_LUA)
        rows["uncached page gzip, br c64"] = {"page": wrk(page_url, 64, args.duration, "gzip, br", script=script.name)}
        _, headers = fetch(site.origin, path, "gzip, br")
        results["x_cache_after"] = headers.get("X-Cache")
    results["rows"] = rows
    return results


def verdict(results):
    main = results["rows"]["gzip, br c64"]
    ratio = main["page"]["requests_per_second"] / main["static"]["requests_per_second"]
    return ratio, main["page"]["p99_ms"]


def write_results(results, command):
    (BENCH / "load-last-run.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    ratio, p99 = verdict(results)
    lines = [
        "# Load: the cached article page beside the same bytes as a static file",
        "",
        f"Command: `{command}` ({results['started']})",
        "",
        f"Machine: {results['machine']}.",
        "",
        f"Server: `{results['server']}` (as `minbar run --production`: PostgreSQL, Redis, granian, whitenoise), "
        "private PostgreSQL and Redis on loopback; the article holds 50 approved comments. "
        f"Bytes: {results['sizes']['identity']} plain, {results['sizes']['br']} brotli, {results['sizes']['gzip']} gzip; "
        f"the static copy was checked byte-for-byte equal to the page for {', '.join(results['same_bytes_checked'])}.",
        "",
        "wrk, 2 threads; medians of the interleaved rounds. req/s, latency in ms.",
        "",
        "| run | static req/s | page req/s | page / static | static p50 / p99 | page p50 / p90 / p99 | errors (page) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, row in results["rows"].items():
        page = row["page"]
        errors = int(page["non_2xx"] + page["socket_errors"])
        if "static" in row:
            static = row["static"]
            share = page["requests_per_second"] / static["requests_per_second"]
            lines.append(
                f"| {label} | {static['requests_per_second']:.0f} | {page['requests_per_second']:.0f} | {share:.0%} | "
                f"{static['p50_ms']} / {static['p99_ms']} | {page['p50_ms']} / {page['p90_ms']} / {page['p99_ms']} | {errors} |"
            )
        else:
            lines.append(
                f"| {label} | – | {page['requests_per_second']:.0f} | – | – | {page['p50_ms']} / {page['p90_ms']} / {page['p99_ms']} | {errors} |"
            )
    lines += [
        "",
        f"**Done-when:** cached page at {ratio:.0%} of the static file's requests/s with browsers' encodings "
        f"(needs ≥ 50 %: {'met' if ratio >= 0.5 else 'NOT met'}); p99 at 64 connections {p99} ms "
        f"(needs < 100 ms: {'met' if p99 < 100 else 'NOT met'}). X-Cache of the page after the runs: {results['x_cache_after']}.",
        "",
        "Each round's figures are in bench/load-last-run.json.",
        "",
    ]
    (BENCH / "load-results.md").write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per encoding (default 3)")
    parser.add_argument("--workers", type=int, default=None, help="granian workers (default: one per core)")
    args = parser.parse_args()
    if args.workers is None:
        import os

        args.workers = os.cpu_count() or 1
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        sys.exit("bench/load.py needs wrk: apt-get install wrk")
    command = "python bench/load.py " + " ".join(shlex.quote(arg) for arg in sys.argv[1:])
    results = measure(args)
    write_results(results, command.strip())
    ratio, p99 = verdict(results)
    log(f"page/static {ratio:.0%}, p99 {p99} ms; see bench/load-results.md")


if __name__ == "__main__":
    main()
