#!/usr/bin/env python3
"""Benchmark reader discussion writes: comment posts, comment votes and star ratings, against a cached page.

For each engine (SQLite in a temporary data folder with the in-process cache,
as `minbar run` starts by default; PostgreSQL in a scratch database, with
Redis as the cache when it answers), the script migrates a fresh site, adds
three articles (one to read, one to comment on, one whose comments are voted
on and which is rated) and serves it with granian exactly as `minbar run`
does (`--interface wsgi --no-ws`, one worker per core, at most 4). Then, at
each concurrency level, a Python load generator (threads, http.client, one
kept-alive connection per thread) sends:

  read     GET of the cached article page (X-Cache: hit): the baseline;
  comment  the comment form as comments.js sends it (Accept: application/json),
           each from a new reader on its own network, with the form's signed
           start time read from the cached page (as a browser would);
  vote     an up or down vote by a new reader on one of ten comments;
  rating   one to five stars by a new reader.

Readers differ by network through X-Forwarded-For, which the server is told to
trust (MINBAR_TRUSTED_PROXY_HEADER), as behind the nginx of a real site; so no
honest reader meets a rate limit. Each figure is requests/s, p50/p95/p99 and
requests/s as a fraction of the read baseline at the same concurrency (the
machine is small and shared: compare ratios). After the run the database is
checked: every accepted write stored exactly once, counters equal to rows.

    .venv/bin/python bench/discussion.py                      # both engines
    .venv/bin/python bench/discussion.py --engines sqlite     # one

Results: bench/discussion-results.md and bench/discussion-last-run.json.
"""

import argparse
import datetime
import http.client
import itertools
import json
import os
import platform
import random
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(BENCH))

from article_page import Server, get, machine_note  # noqa: E402
from corpus import postgres_url, recreate_postgres_database  # noqa: E402

POSTGRES_DATABASE = "minbar_bench_discussion"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
FORWARDED_HEADER = "X-Forwarded-For"
WORKLOADS = ("read", "comment", "vote", "rating")
VOTED_COMMENTS = 10

# Run in the site with `minbar manage shell -c`: three articles, ten comments to vote on; prints JSON.
SETUP = """
import json
from minbar.comments.models import Comment, CommentStatus
from minbar.moderation.models import DiscussionSettings
from minbar.newsroom.models import ArticlePage, HomePage, SectionPage

settings = DiscussionSettings.load()
settings.moderation = "none"  # published at once: the bench measures posting, not the queue
settings.min_seconds_to_submit = 3
settings.save()
home = HomePage.objects.get()
section = SectionPage(title="شؤون المدينة", slug="city", description="قسم لقياس الأداء")
home.add_child(instance=section)
section.save_revision().publish()
body = "<p>" + "تستعد البلدية لافتتاح السوق القديم بعد ترميمه، ويأمل التجار أن تعود إليه الحركة قريبًا. " * 12 + "</p>"
articles = {}
for key, title in (("read", "السوق القديم يفتح أبوابه"), ("comment", "هل تأخر الترميم؟"), ("vote", "مواقف السيارات حول السوق")):
    article = ArticlePage(title=title, slug=f"market-{key}", body=body, summary="", language="ar")
    section.add_child(instance=article)
    article.save_revision().publish()
    articles[key] = ArticlePage.objects.get(pk=article.pk)
comments = [
    Comment.objects.create(
        article=articles["vote"], author_name=f"قارئ {number}", author_email=f"early{number}@example.org",
        body=f"رأي رقم {number}: المواقف قليلة والزحام كبير.", status=CommentStatus.APPROVED, reader_key=f"seed-{number}",
    ).pk
    for number in range(%(comments)d)
]
print(json.dumps({
    "paths": {key: article.get_url() for key, article in articles.items()},
    "ids": {key: article.pk for key, article in articles.items()},
    "comments": comments,
}))
"""

# Run after the load: what the database holds, to compare with what was accepted.
CHECK = """
import json
from django.db.models import Count, Q, Sum
from minbar.comments.models import Comment, CommentVote
from minbar.ratings.models import Rating, RatingSummary

ids = json.loads(%(ids)r)
posted = Comment.objects.filter(article_id=ids["comment"])
voted = Comment.objects.filter(article_id=ids["vote"])
votes = CommentVote.objects.filter(comment__article_id=ids["vote"]).aggregate(
    up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1)))
counters = voted.aggregate(up=Sum("upvotes"), down=Sum("downvotes"))
ratings = Rating.objects.filter(article_id=ids["vote"]).aggregate(count=Count("pk"), total=Sum("score"))
summary = RatingSummary.objects.filter(article_id=ids["vote"]).first()
print(json.dumps({
    "comments": posted.count(),
    "comment_ids": sorted(posted.values_list("pk", flat=True)),
    "distinct_comment_texts": posted.values("body").distinct().count(),
    "vote_rows": votes, "vote_counters": counters,
    "distinct_voters": CommentVote.objects.values("comment", "reader_key").distinct().count(),
    "rating_rows": ratings,
    "rating_summary": {"count": summary.count, "total": summary.total} if summary else None,
}))
"""


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def reachable(url, default_port):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def run_minbar(environment, *arguments):
    result = subprocess.run([str(VENV_BIN / "minbar"), *arguments], env=environment, capture_output=True, text=True,
                            cwd=ROOT)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"`minbar {' '.join(arguments[:2])}` failed")
    return result.stdout


def shell_json(environment, code):
    output = run_minbar(environment, "manage", "shell", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


class RunServer(Server):
    """granian as `minbar run` starts it: one worker per core (at most 4), not article_page.py's single one."""

    def __init__(self, environment, log_path, workers):
        super().__init__(environment, "minbar.settings.dev", log_path)
        self.command[self.command.index("--workers") + 1] = str(workers)


class Networks:
    """Distinct reader addresses for the whole run (a random start: Redis keeps rate-limit windows between runs)."""

    def __init__(self):
        self.numbers = itertools.count(random.randrange(0, 200 * 250 * 250))
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            number = next(self.numbers)
        high, rest = divmod(number, 250 * 250)
        middle, low = divmod(rest, 250)
        return f"10.{high % 250 + 1}.{middle}.{low + 1}"


class Workloads:
    """How each request of a workload is built: (method, path, body, headers, expected status)."""

    def __init__(self, site, started, run_token, networks, port):
        self.site, self.started, self.run_token, self.networks = site, started, run_token, networks
        self.origin = f"http://127.0.0.1:{port}"
        self.accepted_scores = []
        self.lock = threading.Lock()

    def _form(self, path, fields):
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            FORWARDED_HEADER: self.networks.next(),
        }
        return "POST", path, urlencode(fields).encode(), headers

    def read(self, number):
        return "GET", self.site["paths"]["read"], None, {FORWARDED_HEADER: "192.0.2.1"}, 200

    def comment(self, number):
        fields = {
            "text": f"تعليق {self.run_token}-{number}: أرى أن الترميم تأخر، لكن النتيجة تستحق الانتظار.",
            "author_name": f"قارئ {number}",
            "author_email": f"reader-{self.run_token}-{number}@example.org",
            "started": self.started,
        }
        return (*self._form(f"/comments/article/{self.site['ids']['comment']}/", fields), 201)

    def vote(self, number):
        comment = self.site["comments"][number % len(self.site["comments"])]
        value = "down" if number % 3 == 0 else "up"
        return (*self._form(f"/comments/{comment}/vote/", {"value": value}), 200)

    def rating(self, number):
        return (*self._form(f"/ratings/{self.site['ids']['vote']}/", {"score": str(number % 5 + 1)}), 200)


def load(port, build, count, concurrency, on_answer=None):
    """Send `count` requests from `concurrency` threads, each on its own kept-alive connection."""
    numbers = itertools.count()
    latencies, statuses, failures = [], Counter(), []
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        # Connected before the clock starts: a reader's browser already holds the connection it loaded the page on.
        connection.connect()
        barrier.wait()
        while (number := next(numbers)) < count:
            method, path, body, headers, expected = build(number)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException) as error:
                # Not retried: a retried POST could be stored twice, and the check after the run would hide why.
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    failures.append(f"{type(error).__name__}: {error}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[response.status] += 1
                if response.status != expected and len(failures) < 5:
                    failures.append(f"{response.status}: {content[:200]!r}")
            if on_answer is not None and response.status == expected:
                on_answer(number, content)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    cpu_before = time.process_time()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()

    def pick(share):
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 2) if latencies else None

    return {
        "requests": count,
        "seconds": round(seconds, 3),
        "rps": round(count / seconds, 1),
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
        "statuses": dict(statuses),
        "failures": failures,
        # The load generator shares the machine's cores with the server: its own CPU share.
        "client_cpu_share": round((time.process_time() - cpu_before) / seconds / (os.cpu_count() or 1), 2),
    }


def run_engine(engine, args, networks, workdir):
    data_dir = workdir / f"data-{engine}"
    data_dir.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "MINBAR_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "minbar.settings.dev",
        "MINBAR_TRUSTED_PROXY_HEADER": FORWARDED_HEADER,
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
    }
    for name in ("DATABASE_URL", "CACHE_URL", "REDIS_URL"):
        environment.pop(name, None)
    description = "SQLite (WAL, immediate transactions) in a temporary data folder, in-process cache"
    if engine == "postgres":
        recreate_postgres_database(POSTGRES_DATABASE)
        environment["DATABASE_URL"] = postgres_url(POSTGRES_DATABASE)
        description = f"PostgreSQL (scratch database `{POSTGRES_DATABASE}`), in-process cache"
        if args.redis_url and reachable(args.redis_url, 6379):
            environment["REDIS_URL"] = args.redis_url
            description = f"PostgreSQL (scratch database `{POSTGRES_DATABASE}`), Redis cache ({args.redis_url})"
    log(f"[{engine}] migrating a fresh site")
    run_minbar(environment, "manage", "migrate", "--verbosity", "0")
    run_minbar(environment, "manage", "collectstatic", "--noinput", "--verbosity", "0")
    site = shell_json(environment, SETUP % {"comments": VOTED_COMMENTS})
    result = {"engine": engine, "setup": description, "levels": {}}
    accepted = {"comment": [], "vote": Counter(), "rating": []}
    run_token = f"{random.randrange(16**6):06x}"

    with RunServer(environment, workdir / f"granian-{engine}.log", args.workers) as server:
        result["server_command"] = shlex.join(["python"] + server.command[1:]).replace(str(server.port), "<port>")
        port = server.port
        # Each granian worker has its own in-process cache: a few requests warm them all.
        answers = [get(port, site["paths"]["read"]) for _ in range(4 * args.workers)]
        if any(status != 200 for status, *_rest in answers):
            raise SystemExit(f"the read article answered {[status for status, *_rest in answers]}")
        last_headers = answers[-1][1]
        result["read_cached"] = any(headers.get("X-Cache") == "hit" for _status, headers, *_rest in answers)
        if not result["read_cached"]:
            # Measured all the same, and said so in the results: the baseline is then a rendered page.
            result["read_not_cached_because"] = {
                name: last_headers.get(name, "") for name in ("Vary", "Set-Cookie", "Cache-Control", "X-Cache")
            }
            log(f"[{engine}] the read article is NOT served from the page cache: {result['read_not_cached_because']}")
        status, _headers, body, _seconds = get(port, site["paths"]["comment"])
        started = re.search(rb'name="started" value="([^"]+)"', body)
        if status != 200 or not started:
            raise SystemExit("the article page has no comment form with a start time")
        form_fetched = time.time()
        workloads = Workloads(site, started.group(1).decode(), run_token, networks, port)

        def keep_comment(number, content):
            accepted["comment"].append(json.loads(content)["comment"])

        def keep_vote(number, content):
            accepted["vote"]["down" if number % 3 == 0 else "up"] += 1

        def keep_rating(number, content):
            accepted["rating"].append(json.loads(content)["score"])

        keepers = {"comment": keep_comment, "vote": keep_vote, "rating": keep_rating}
        counts = {"read": args.reads, "comment": args.comments, "vote": args.votes, "rating": args.ratings}
        sequence = itertools.count()
        for concurrency in args.levels:
            level = result["levels"][concurrency] = {}
            for workload in WORKLOADS:
                if workload == "comment":
                    # A person takes seconds to write: the form's start time must be older than the site's minimum.
                    time.sleep(max(0.0, form_fetched + 3.5 - time.time()))
                base = next(sequence) * 1_000_000
                build = getattr(workloads, workload)
                log(f"[{engine}] {workload}: {counts[workload]} requests, {concurrency} at once")
                level[workload] = load(
                    port,
                    lambda number, build=build, base=base: build(base + number),
                    counts[workload],
                    concurrency,
                    on_answer=(lambda number, content, keep=keepers.get(workload), base=base: keep(base + number, content))
                    if workload in keepers else None,
                )
    result["load_commands"] = {
        "read": f"GET {site['paths']['read']} (no cookie; cached)",
        "comment": f"POST /comments/article/{site['ids']['comment']}/ text, author_name, author_email, started; "
                   "Accept: application/json; Origin: the site; X-Forwarded-For: a new address per request",
        "vote": "POST /comments/<one of 10>/vote/ value=up|down; same headers, a new reader per request",
        "rating": f"POST /ratings/{site['ids']['vote']}/ score=1..5; same headers, a new reader per request",
    }
    stored = shell_json(environment, CHECK % {"ids": json.dumps(site["ids"])})
    result["check"] = check(accepted, stored)
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


def check(accepted, stored):
    """Every accepted write stored exactly once, counters equal to rows: a list of (what, expected, found, ok)."""
    votes = accepted["vote"]
    lines = [
        ("comments stored = comments accepted", len(accepted["comment"]), stored["comments"]),
        ("stored comments are exactly the accepted ids", True, sorted(accepted["comment"]) == stored["comment_ids"]),
        ("no comment text stored twice", stored["comments"], stored["distinct_comment_texts"]),
        ("vote rows = votes accepted (up, down)", [votes["up"], votes["down"]],
         [stored["vote_rows"]["up"], stored["vote_rows"]["down"]]),
        ("comment counters = vote rows (up, down)", [stored["vote_rows"]["up"], stored["vote_rows"]["down"]],
         [stored["vote_counters"]["up"], stored["vote_counters"]["down"]]),
        ("one vote row per reader and comment", votes["up"] + votes["down"], stored["distinct_voters"]),
        ("rating rows = ratings accepted (count, total)", [len(accepted["rating"]), sum(accepted["rating"])],
         [stored["rating_rows"]["count"], stored["rating_rows"]["total"] or 0]),
        ("rating summary = rating rows (count, total)", [stored["rating_rows"]["count"], stored["rating_rows"]["total"] or 0],
         [stored["rating_summary"]["count"], stored["rating_summary"]["total"]] if stored["rating_summary"] else None),
    ]
    return [{"what": what, "expected": expected, "found": found, "ok": expected == found} for what, expected, found in lines]


def render(run):
    lines = [
        "# Benchmark results: reader discussion (comments, votes, ratings)",
        "",
        f"- Date: {run['date']}",
        f"- Code: `{run['commit']}`",
        f"- Machine: {run['machine']}",
        f"- Produced by: `{run['command']}`",
        "- Load generator: Python threads with http.client in the same machine (one kept-alive connection per "
        "thread, requests built as comments.js / ratings.js send them); its CPU share is shown since it competes "
        "with the server for the same cores.",
        "",
    ]
    for result in run["engines"]:
        lines += [
            f"## {result['engine']}",
            "",
            f"- Site: {result['setup']}",
            f"- Server: `{result['server_command']}` (what `minbar run` starts; worker not started: nothing queued)",
        ]
        if result.get("read_cached"):
            lines.append("- Baseline: the read article answered from the page cache (X-Cache: hit).")
        else:
            lines.append(
                "- **Baseline NOT cached**: the read article was rendered on every request, so `vs read` compares "
                f"with a rendered page, not a cached one. Its headers: {result.get('read_not_cached_because')}"
            )
        lines += [
            "",
            "| concurrency | workload | requests | requests/s | vs read | p50 | p95 | p99 | statuses | client CPU |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---|---:|",
        ]
        for concurrency, level in result["levels"].items():
            base = level["read"]["rps"]
            for workload in WORKLOADS:
                figure = level[workload]
                statuses = ", ".join(f"{count}×{status}" for status, count in sorted(figure["statuses"].items()))
                errors = len([failure for failure in figure["failures"] if not failure[:3].isdigit()])
                if errors:
                    statuses += f", {errors} connection errors"
                lines.append(
                    f"| {concurrency} | {workload} | {figure['requests']} | {figure['rps']:.0f} | {figure['rps'] / base:.2f} "
                    f"| {figure['p50_ms']} ms | {figure['p95_ms']} ms | {figure['p99_ms']} ms | {statuses} "
                    f"| {figure['client_cpu_share']:.0%} |"
                )
        lines += ["", "After the run (every accepted write stored exactly once, counters equal to rows):", ""]
        for item in result["check"]:
            lines.append(f"- {'ok' if item['ok'] else 'MISMATCH'}: {item['what']}: expected {item['expected']}, found {item['found']}")
        lines += ["", "Requests:", ""]
        for workload, description in result["load_commands"].items():
            lines.append(f"- {workload}: {description}")
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres (skipped with a note when nothing answers on 5432)")
    parser.add_argument("--levels", default="1,8,32", help="concurrency levels, comma-separated (default 1,8,32)")
    parser.add_argument("--reads", type=int, default=1000, help="cached GETs per level (the baseline)")
    parser.add_argument("--comments", type=int, default=300, help="comment posts per level")
    parser.add_argument("--votes", type=int, default=600, help="votes per level")
    parser.add_argument("--ratings", type=int, default=600, help="ratings per level")
    parser.add_argument("--workers", type=int, default=max(1, min(os.cpu_count() or 1, 4)),
                        help="granian worker processes (default: as `minbar run`, one per core, at most 4)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL,
                        help=f"cache of the PostgreSQL site when it answers (default {DEFAULT_REDIS_URL}; '' for in-process)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folders")
    parser.add_argument("--output", default=str(BENCH / "discussion-results.md"))
    args = parser.parse_args()
    args.levels = [int(value) for value in args.levels.split(",")]
    engines = [engine.strip() for engine in args.engines.split(",") if engine.strip()]

    command = ".venv/bin/python " + shlex.join(["bench/discussion.py", *sys.argv[1:]])
    run = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "machine": machine_note(),
        "commit": subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True,
                                 text=True).stdout.strip(),
        "command": command,
        "python": platform.python_version(),
        "engines": [],
        "skipped": [],
    }
    workdir = Path(tempfile.mkdtemp(prefix="minbar-bench-discussion-"))
    networks = Networks()
    for engine in engines:
        if engine == "postgres" and not reachable(postgres_url("postgres"), 5432):
            run["skipped"].append("postgres: nothing answers on 5432")
            log("PostgreSQL does not answer: skipped")
            continue
        run["engines"].append(run_engine(engine, args, networks, workdir))

    (BENCH / "discussion-last-run.json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
    text = render(run)
    if run["skipped"]:
        text += "\nSkipped: " + "; ".join(run["skipped"]) + "\n"
    Path(args.output).write_text(text, encoding="utf-8")
    log(f"wrote {args.output}; server logs in {workdir}")
    failed = [item for result in run["engines"] for item in result["check"] if not item["ok"]]
    if failed:
        raise SystemExit(f"{len(failed)} exactness checks failed: see {args.output}")


if __name__ == "__main__":
    main()
