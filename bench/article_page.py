#!/usr/bin/env python3
"""Benchmark the article page: throughput, latency, page weight, Lighthouse.

Loads the demo content into a fresh data folder (SQLite, in-process cache),
serves it with granian on 127.0.0.1 and measures, in one run:

  (a) the cached article page (anonymous reader, X-Cache: hit),
  (b) the uncached article page (bench/settings_nocache.py: page cache off),
  (c) the same bytes as a static file served by whitenoise: the ceiling,
  (d) page weight: every response Chromium gets for the page, gzip -9 / brotli,
  (e) Lighthouse 12.2.3 scores, when bench/node_modules holds it.

Results go to bench/results.md (see bench/README.md). Run from the repository:

    .venv/bin/python bench/article_page.py
"""

import argparse
import datetime
import gzip
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
CHROMIUM = os.environ.get("MINBAR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HTML_CSS_JS_BUDGET = 25 * 1024
FONT_BUDGET = 80 * 1024
WORDPRESS = "WordPress (the seed site's stack, same kind of machine): 40 requests/s, 48 ms for one request, ~278 KB compressed in 15 requests plus 21 third-party requests"

PICK_ARTICLE = """
from urllib.parse import urlsplit
from minbar.newsroom.models import ArticlePage
live = ArticlePage.objects.live().public()
page = (live.filter(part_number=1).exclude(series=None).exclude(cover_image=None).order_by('-first_published_at').first()
        or live.exclude(cover_image=None).order_by('-first_published_at').first()
        or live.order_by('-first_published_at').first())
print('ARTICLE', urlsplit(page.get_url()).path if page else '')
"""


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, headers=None):
    """One GET on a new connection, as a reader's browser would open it; returns (status, headers, body, seconds)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, response.headers, body, elapsed


class Server:
    """granian serving minbar.wsgi on 127.0.0.1 with the given settings module."""

    def __init__(self, env, settings_module, log_path):
        self.port = free_port()
        self.env = {**env, "DJANGO_SETTINGS_MODULE": settings_module}
        self.command = [
            str(VENV_BIN / "python"), "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(self.port), "--workers", "1", "--no-ws", "minbar.wsgi:application",
        ]
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        self.log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.command, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"granian exited with {self.process.returncode}; see {self.log_path}")
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"granian did not answer within 60 s; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, connections, duration):
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "50" not in percentiles:
        raise SystemExit(f"wrk gave no latency figures:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)$", output, re.MULTILINE)
    return {
        "command": shlex.join(command),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(percentiles["50"]),
        "p99_ms": to_ms(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def single_request_ms(port, path, times=30):
    """Median time of one request on a fresh connection, nothing else running."""
    samples = []
    for _ in range(times):
        status, _, _, seconds = get(port, path)
        assert status == 200, status
        samples.append(seconds * 1000)
    return statistics.median(samples)


def gzip9(data):
    return len(subprocess.run(["gzip", "-9", "-n", "-c"], input=data, capture_output=True, check=True).stdout)


def brotli11(data):
    try:
        import brotli
    except ImportError:
        return None
    return len(brotli.compress(data, quality=11))


def page_weight(url):
    """Every response Chromium receives loading the page on a 390 px phone, with its compressed sizes."""
    from playwright.sync_api import sync_playwright

    resources = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS[1:] + ["--disable-quic"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        page.mouse.wheel(0, 20000)  # let lazy images below the fold load, as a reader scrolling would
        page.wait_for_timeout(1000)
        for response in responses:
            try:
                body = response.body()
            except Exception:  # redirects have no body
                body = b""
            sizes = response.request.sizes()
            resources.append({
                "url": response.url,
                "host": urlsplit(response.url).hostname,
                "type": response.request.resource_type,
                "status": response.status,
                "bytes": len(body),
                "served": sizes["responseBodySize"],
                "encoding": response.headers.get("content-encoding", ""),
                "gzip9": gzip9(body) if body else 0,
                "brotli": brotli11(body) if body else 0,
            })
        browser.close()
    return resources


def summarize_weight(resources):
    groups = {"html+css+js": ("document", "stylesheet", "script"), "fonts": ("font",), "images": ("image",)}
    summary = {}
    for name, types in groups.items():
        chosen = [r for r in resources if r["type"] in types]
        summary[name] = {
            "count": len(chosen),
            "bytes": sum(r["bytes"] for r in chosen),
            "gzip9": sum(r["gzip9"] for r in chosen),
            "brotli": sum(r["brotli"] or 0 for r in chosen),
            "served": sum(r["served"] for r in chosen),
        }
    summary["requests"] = len(resources)
    summary["third_party"] = [r["url"] for r in resources if r["host"] not in ("127.0.0.1", "localhost")]
    summary["served_total"] = sum(r["served"] for r in resources)
    return summary


def lighthouse(url, workdir):
    binary = BENCH / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return {"error": "not installed: run `npm ci --prefix bench`"}
    report = workdir / "lighthouse.json"
    flags = " ".join(CHROMIUM_FLAGS)
    command = [
        str(binary), url, "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json", f"--output-path={report}", f"--chrome-flags={flags}", "--quiet",
    ]
    shown = f"CHROME_PATH={CHROMIUM} bench/node_modules/.bin/lighthouse {url} " + shlex.join(command[2:]).replace(
        str(report), "<tmp>/lighthouse.json"
    )
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0 or not report.exists():
        tail = (result.stderr or result.stdout).strip().splitlines()[-8:]
        return {"command": shown, "error": f"exit {result.returncode}: " + " | ".join(tail)}
    data = json.loads(report.read_text())
    audits = data["audits"]
    weighted = {ref["id"] for category in data["categories"].values() for ref in category["auditRefs"] if ref["weight"]}
    failed = sorted(key for key in weighted if audits[key].get("score") is not None and audits[key]["score"] < 0.9)
    return {
        "command": shown,
        "scores": {key: round(value["score"] * 100) for key, value in data["categories"].items()
                   if value["score"] is not None},
        "metrics": {key: audits[key].get("displayValue", "") for key in (
            "first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
            "speed-index", "total-byte-weight")},
        "below_90": failed,
        "runtime_error": data.get("runtimeError", {}).get("message"),
    }


def machine_note():
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}), load average before the run {load}; shared and noisy: compare ratios, not absolute figures"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=12, help="seconds per wrk run (default 12)")
    parser.add_argument("--connections", default="16,64", help="wrk connection counts, comma-separated")
    parser.add_argument("--path", help="article path to measure (default: the demo's newest part 1 with a cover)")
    parser.add_argument("--data-dir", help="reuse this data folder instead of a fresh one with the demo")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (reuse it with --data-dir)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--output", default=str(BENCH / "results.md"))
    args = parser.parse_args()
    connections = [int(value) for value in args.connections.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="minbar-bench-"))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else workdir / "data"
    env = {
        **os.environ,
        "MINBAR_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "minbar.settings.dev",
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
    }
    env.pop("DATABASE_URL", None), env.pop("CACHE_URL", None), env.pop("REDIS_URL", None)
    run = {"date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"), "machine": machine_note()}
    run["commit"] = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True,
                                   text=True).stdout.strip()

    if not args.data_dir:
        log(f"loading the demo into {data_dir}")
        started = time.perf_counter()
        subprocess.run([str(VENV_BIN / "minbar"), "demo"], env=env, check=True, cwd=ROOT)
        run["demo_seconds"] = round(time.perf_counter() - started, 1)
    path = args.path
    if not path:
        output = subprocess.run([str(VENV_BIN / "minbar"), "manage", "shell", "-c", PICK_ARTICLE], env=env,
                                capture_output=True, text=True, check=True, cwd=ROOT).stdout
        path = re.search(r"^ARTICLE (.*)$", output, re.MULTILINE).group(1).strip()
        if not path:
            raise SystemExit("the demo has no live article to measure")
    run["path"] = path
    static_copy = data_dir / "static" / "bench" / "article.html"

    # (b) uncached, on its own server; its HTML also becomes the static baseline's file.
    with Server(env, "settings_nocache", workdir / "granian-nocache.log") as server:
        status, headers, body, _ = get(server.port, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        assert "X-Cache" not in headers, "the page cache should be off in settings_nocache"
        run["html_bytes"] = len(body)
        static_copy.parent.mkdir(parents=True, exist_ok=True)
        static_copy.write_bytes(body)
        log("uncached: one request at a time")
        run["uncached_single_ms"] = single_request_ms(server.port, path)
        run["uncached"] = {}
        for count in connections:
            log(f"uncached: wrk {count} connections")
            run["uncached"][count] = wrk(f"http://127.0.0.1:{server.port}{path}", count, args.duration)

    # (a) cached and (c) static, on the default settings.
    with Server(env, "minbar.settings.dev", workdir / "granian.log") as server:
        get(server.port, path)
        status, headers, body, _ = get(server.port, path)
        if headers.get("X-Cache") != "hit":  # granian lower-cases names; HTTPMessage.get does not mind
            raise SystemExit(f"second anonymous request was not served from the page cache: {dict(headers)}")
        run["set_cookie"] = headers.get("Set-Cookie")
        status, static_headers, static_body, _ = get(server.port, "/static/bench/article.html")
        if status != 200 or len(static_body) != run["html_bytes"]:
            raise SystemExit(f"static copy answered {status} with {len(static_body)} bytes")
        run["cached_single_ms"] = single_request_ms(server.port, path)
        run["static_single_ms"] = single_request_ms(server.port, "/static/bench/article.html")
        run["cached"], run["static"] = {}, {}
        for count in connections:
            log(f"cached: wrk {count} connections")
            run["cached"][count] = wrk(f"http://127.0.0.1:{server.port}{path}", count, args.duration)
            log(f"static: wrk {count} connections")
            run["static"][count] = wrk(f"http://127.0.0.1:{server.port}/static/bench/article.html", count,
                                       args.duration)
        url = f"http://127.0.0.1:{server.port}{path}"
        log("page weight (Chromium, 390 px phone)")
        run["resources"] = page_weight(url)
        run["weight"] = summarize_weight(run["resources"])
        if not args.no_lighthouse:
            log("Lighthouse")
            run["lighthouse"] = lighthouse(url, workdir)

    (BENCH / "last-run.json").write_text(json.dumps(run, indent=1, ensure_ascii=False, default=str))
    Path(args.output).write_text(render(run, args), encoding="utf-8")
    log(f"wrote {args.output}; server logs in {workdir}")
    if not args.keep and not args.data_dir:
        shutil.rmtree(data_dir, ignore_errors=True)


def kb(value):
    return f"{value / 1024:.1f} KB"


def render(run, args):
    invocation = "bench/article_page.py" + "".join(
        f" {flag} {value}" for flag, value in (("--duration", args.duration), ("--connections", args.connections),
                                                ("--path", args.path)) if value and (flag != "--duration" or value != 12)
        and (flag != "--connections" or value != "16,64")
    )
    lines = [
        "# Benchmark results: the article page",
        "",
        f"- Date: {run['date']}",
        f"- Code: `{run['commit']}`",
        f"- Machine: {run['machine']}",
        f"- Produced by: `.venv/bin/python {invocation}` (everything below; the exact wrk/Lighthouse commands are shown per figure, ports are chosen free per run)",
        f"- Data: the demo content (`minbar demo`, {run.get('demo_seconds', '?')} s to load) on SQLite, in-process cache; granian 1 worker (`--interface wsgi --workers 1 --no-ws`), DEBUG off",
        f"- Page: `{run['path']}` ({run['html_bytes']} bytes of HTML)",
        "",
        "## Throughput and latency (wrk, 127.0.0.1)",
        "",
        "| what | connections | requests/s | p50 | p99 | vs static req/s | errors |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for count in sorted(run["static"]):
        base = run["static"][count]["rps"]
        for name, label in (("cached", "(a) cached page (X-Cache: hit)"), ("uncached", "(b) uncached page"),
                            ("static", "(c) static file, same bytes")):
            figure = run[name].get(count)
            if not figure:
                continue
            errors = ", ".join(filter(None, [f"{figure['non_2xx']} non-2xx" if figure["non_2xx"] else "",
                                             figure["socket_errors"]])) or "none"
            lines.append(
                f"| {label} | {count} | {figure['rps']:.0f} | {figure['p50_ms']:.2f} ms | {figure['p99_ms']:.2f} ms "
                f"| {figure['rps'] / base:.2f} | {errors} |"
            )
    lines += [
        "",
        "One request at a time (median of 30, a new connection each, Python http.client):",
        f"uncached {run['uncached_single_ms']:.1f} ms, cached {run['cached_single_ms']:.1f} ms, "
        f"static {run['static_single_ms']:.1f} ms.",
        f"Set-Cookie on the cached page: {run['set_cookie'] or 'none'}.",
        "",
        "Commands (port differs per run):",
        "",
    ]
    for name in ("cached", "uncached", "static"):
        for count, figure in sorted(run[name].items()):
            lines.append(f"- {name}, {count}: `{figure['command']}`")
    weight = run["weight"]
    core, fonts, images = weight["html+css+js"], weight["fonts"], weight["images"]
    lines += [
        "",
        "## Page weight (Chromium, 390 px phone, after scrolling to the end)",
        "",
        "| what | requests | raw | gzip -9 | brotli 11 | as served | budget |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| HTML + CSS + JS | {core['count']} | {kb(core['bytes'])} | {kb(core['gzip9'])} | {kb(core['brotli'])} | "
        f"{kb(core['served'])} | ≤ 25 KB compressed: {'met' if core['gzip9'] <= HTML_CSS_JS_BUDGET else 'MISSED'} |",
        f"| fonts | {fonts['count']} | {kb(fonts['bytes'])} | {kb(fonts['gzip9'])} | {kb(fonts['brotli'])} | "
        f"{kb(fonts['served'])} | ≤ 80 KB: {'met' if fonts['served'] <= FONT_BUDGET else 'MISSED'} (as served; woff2 is already compressed) |",
        f"| images | {images['count']} | {kb(images['bytes'])} | – | – | {kb(images['served'])} | |",
        f"| all | {weight['requests']} | | | | {kb(weight['served_total'])} | |",
        "",
        f"Third-party requests: {len(weight['third_party'])}{': ' + ', '.join(weight['third_party']) if weight['third_party'] else ''}.",
        "",
        "Every response:",
        "",
        "| type | status | url | raw | gzip -9 | as served |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for resource in run["resources"]:
        shown = re.sub(r"^http://127\.0\.0\.1:\d+", "", resource["url"])
        lines.append(f"| {resource['type']} | {resource['status']} | `{shown}` | {resource['bytes']} | "
                     f"{resource['gzip9']} | {resource['served']} {resource['encoding']} |")
    lines += ["", "Command: Playwright (Python) with /usr/bin/chromium, see `page_weight()` in bench/article_page.py; "
              "compressed sizes by `gzip -9 -n -c` and Python brotli quality 11.", "", "## Lighthouse 12.2.3 (mobile)", ""]
    lh = run.get("lighthouse")
    if not lh:
        lines.append("Not run (--no-lighthouse).")
    elif "error" in lh:
        lines += [f"Failed: {lh['error']}", "", f"Command: `{lh.get('command', '')}`"]
    else:
        lines += [
            "| performance | accessibility | best practices | SEO |",
            "|---:|---:|---:|---:|",
            "| {performance} | {accessibility} | {best-practices} | {seo} |".format(
                **{key: lh["scores"].get(key, "–") for key in ("performance", "accessibility", "best-practices", "seo")}),
            "",
            "Metrics (simulated slow 4G, mid-range phone): " + ", ".join(f"{k} {v}" for k, v in lh["metrics"].items()),
            "",
            f"Audits scoring below 0.9: {', '.join(lh['below_90']) or 'none'}.",
            "",
            f"Command: `{lh['command']}`",
        ]
        if lh.get("runtime_error"):
            lines.append(f"Runtime error: {lh['runtime_error']}")
    lines += ["", "## For comparison", "", f"{WORDPRESS}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
