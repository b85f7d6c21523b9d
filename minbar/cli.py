"""The `minbar` command: run the site, load demo content, run background work."""

import argparse
import json
import os
import signal
import subprocess
import sys
import time


def _setup_django(settings_module):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def _call(*args, **options):
    from django.core.management import call_command

    call_command(*args, **options)


def prepare(verbosity=1):
    """Create the data folder, bring the schema up to date and collect static files."""
    from django.conf import settings

    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    _call("migrate", interactive=False, verbosity=verbosity)
    _call("collectstatic", interactive=False, verbosity=0)


PRODUCTION_SETTINGS = "minbar.settings.production"
# Connections the kernel holds for granian while every worker is busy (a
# story breaks, a link is shared): queued for a moment, not refused.
PRODUCTION_BACKLOG = 2048
# Requests one worker runs at once. Each thread keeps its own database
# connection: workers x threads must stay below PostgreSQL's max_connections
# (100 by default) on every app server together. More threads do not make
# Python faster; they only let requests wait for the database side by side.
PRODUCTION_THREADS = min(8, 2 * (os.cpu_count() or 1) + 1)  # granian warns above 2 x cores + 1
# Seconds a worker has to finish its requests after being told to stop.
WORKER_STOP_SECONDS = 10


def granian_command(host, port, workers, production=False, threads=None, log_config=None):
    """The granian command line serving minbar.wsgi; `production` adds respawning, a deeper backlog, bounded threads and stop."""
    command = [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--no-ws",
    ]
    if production:
        command += [
            # A worker that crashes (out of memory, a C extension) is started again instead of leaving the site short.
            "--respawn-failed-workers",
            "--backlog", str(PRODUCTION_BACKLOG),
            "--blocking-threads", str(threads or PRODUCTION_THREADS),
            "--workers-kill-timeout", str(WORKER_STOP_SECONDS),
        ]
    if log_config:
        command += ["--log-config", str(log_config)]
    command.append("minbar.wsgi:application")
    return command


def supervise(commands):
    """Start each command; when one ends or we are told to stop, stop them all."""
    children = [subprocess.Popen(command, env=os.environ.copy()) for command in commands]

    def stop(signum, frame):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop(None, None)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


def production_problems():
    """What keeps these settings from serving a public site, as sentences for the operator (empty: nothing)."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(
            _("DATABASE_URL does not name a PostgreSQL database (e.g. postgres://minbar:PASSWORD@127.0.0.1:5432/minbar).")
        )
    if not settings.CACHES["default"]["BACKEND"].startswith("django_redis."):
        problems.append(_("REDIS_URL (or CACHE_URL) is not set to a Redis server (e.g. redis://127.0.0.1:6379/0)."))
    return problems


def _refuse_embedded_production(problems):
    from django.utils.translation import gettext as _

    print(_("Minbar did not start in production mode:"), file=sys.stderr)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    print(
        _(
            "Set them in the environment (docs/deploy.md), or add --allow-embedded to serve from "
            "SQLite and the in-process cache anyway (one machine only)."
        ),
        file=sys.stderr,
    )
    sys.exit(2)


def cmd_run(args):
    if args.production:
        # Our production settings, or the site's own module when one is named
        # (it should start with `from minbar.settings.production import *`).
        named = args.settings if args.settings != "minbar.settings.dev" else PRODUCTION_SETTINGS
        # Set, not defaulted: granian's workers and `minbar worker` read it too.
        os.environ["DJANGO_SETTINGS_MODULE"] = named
    _setup_django(args.settings)
    if args.production:
        problems = production_problems()
        if problems and not args.allow_embedded:
            _refuse_embedded_production(problems)
    from django.conf import settings
    from django.utils.translation import gettext as _

    if args.no_migrate:
        # Another server, or the deploy step, migrates: several servers
        # running `migrate` at once would race each other (docs/deploy.md).
        settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        _call("collectstatic", interactive=False, verbosity=0)
    else:
        prepare()
    address = f"http://{args.host}:{args.port}/"
    print(_("Minbar is at %(address)s (editors: %(address)sadmin/)") % {"address": address}, flush=True)
    print(_("Data folder: %(folder)s") % {"folder": settings.DATA_DIR}, flush=True)
    sys.exit(supervise(serving_commands(args)))


def serving_commands(args):
    """The processes `minbar run` starts: granian, and `minbar worker` unless --no-worker."""
    cores = os.cpu_count() or 1
    workers = args.workers or (cores if args.production else min(cores, 4))
    commands = [
        granian_command(
            args.host, args.port, workers,
            production=args.production, threads=args.threads, log_config=granian_log_config(),
        )
    ]
    if not args.no_worker:
        commands.append([sys.executable, "-m", "minbar.cli", "worker"])
    return commands


def granian_log_config():
    """When the site logs JSON, a granian logging file (in the data folder) that makes granian's own lines JSON too."""
    from django.conf import settings

    if "json" not in settings.LOGGING.get("formatters", {}):
        return None
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    config = {
        "formatters": {"json": {"()": "minbar.core.logs.json_formatter"}},
        "handlers": {"console": handler},
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
    path = settings.DATA_DIR / "granian-logging.json"
    path.write_text(json.dumps(config, indent=2))
    return path


def cmd_demo(args):
    _setup_django(args.settings)
    prepare(verbosity=0)
    _call("load_demo")


def cmd_worker(args):
    _setup_django(args.settings)
    from minbar.core.worker import run_worker

    run_worker(interval=args.interval)


def cmd_createadmin(args):
    _setup_django(args.settings)
    _call("createadmin", username=args.username, email=args.email, if_missing=args.if_missing)


def _run_import(args, command):
    _setup_django(args.settings)
    from django.conf import settings
    from django.core.management import CommandError

    # Like `minbar demo`, importers work on a fresh data folder.
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    _call("migrate", interactive=False, verbosity=0)
    try:
        _call(command, *args.rest)
    except CommandError as error:
        print(error, file=sys.stderr)
        sys.exit(error.returncode)


def cmd_import_jsonl(args):
    _run_import(args, "import_jsonl")


def cmd_import_wordpress(args):
    _run_import(args, "import_wordpress")


def _call_or_exit(*args, **options):
    """Run a management command; a CommandError ends the process with its message and exit status."""
    from django.core.management import CommandError

    try:
        _call(*args, **options)
    except CommandError as error:
        print(error, file=sys.stderr)
        sys.exit(error.returncode)


def cmd_backup(args):
    _setup_django(args.settings)
    _call_or_exit(
        "backup", output=args.output, include_secret_key=args.include_secret_key, no_media=args.no_media
    )


def cmd_restore(args):
    _setup_django(args.settings)
    _call_or_exit("restore", str(args.archive), force=args.force, no_media=args.no_media)


def cmd_manage(args):
    _setup_django(args.settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["minbar manage", *args.rest])


def build_parser():
    parser = argparse.ArgumentParser(prog="minbar", description="Minbar: Arabic-first news publishing.")
    parser.add_argument(
        "--settings",
        default=os.environ.get("DJANGO_SETTINGS_MODULE", "minbar.settings.dev"),
        help="Django settings module (default: minbar.settings.dev)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="migrate, collect static files and serve the site")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="granian worker processes (default: one per core; at most 4 without --production)",
    )
    run.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the background worker (when `minbar worker` runs on its own, e.g. as a systemd unit)",
    )
    run.add_argument(
        "--production",
        action="store_true",
        help="serve a public site: minbar.settings.production, PostgreSQL and Redis required, "
        "workers respawned (docs/deploy.md)",
    )
    run.add_argument(
        "--allow-embedded",
        action="store_true",
        help="with --production: start even on SQLite and the in-process cache",
    )
    run.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not migrate the database at start (several app servers: run `minbar manage migrate` once)",
    )
    run.add_argument(
        "--threads",
        type=int,
        default=None,
        help=f"with --production: requests each worker runs at once (default: {PRODUCTION_THREADS}; "
        "each may hold a database connection)",
    )
    run.set_defaults(handler=cmd_run)

    demo = commands.add_parser("demo", help="load the demo content (safe to repeat)")
    demo.set_defaults(handler=cmd_demo)

    worker = commands.add_parser("worker", help="run background tasks and publish scheduled articles")
    worker.add_argument("--interval", type=float, default=None, help="seconds between looks for scheduled articles")
    worker.set_defaults(handler=cmd_worker)

    admin = commands.add_parser("createadmin", help="create an administrator account")
    admin.add_argument("--username", default="admin")
    admin.add_argument("--email", default="admin@example.com")
    admin.add_argument("--if-missing", action="store_true", help="do nothing when an administrator exists")
    admin.set_defaults(handler=cmd_createadmin)

    # Options are the management command's own (`minbar import-jsonl --help` lists them).
    import_jsonl = commands.add_parser(
        "import-jsonl", help="import articles from a JSON Lines file (safe to repeat)", add_help=False
    )
    import_jsonl.add_argument("rest", nargs=argparse.REMAINDER)
    import_jsonl.set_defaults(handler=cmd_import_jsonl)

    import_wordpress = commands.add_parser(
        "import-wordpress",
        help="import a WordPress export (WXR): posts, pages, comments, images, old links (safe to repeat)",
        add_help=False,
    )
    import_wordpress.add_argument("rest", nargs=argparse.REMAINDER)
    import_wordpress.set_defaults(handler=cmd_import_wordpress)

    backup = commands.add_parser(
        "backup", help="write the database, the media and a manifest into one archive (docs/backups.md)"
    )
    backup.add_argument("--output", default=None, help="the archive to write, or a folder (default: DATA_DIR/backups/)")
    backup.add_argument(
        "--include-secret-key", action="store_true", help="also store the secret key (then guard the archive like it)"
    )
    backup.add_argument("--no-media", action="store_true", help="leave the media folder out (shared storage)")
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore", help="replace the site with a backup, checked whole first; stop the site before (docs/backups.md)"
    )
    restore.add_argument("archive", help="an archive written by `minbar backup`")
    restore.add_argument("--force", action="store_true", help="replace a site that has content")
    restore.add_argument("--no-media", action="store_true", help="leave the media folder as it is")
    restore.set_defaults(handler=cmd_restore)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
