"""The `minbar` command: run the site, load demo content, run background work."""

import argparse
import os
import subprocess
import sys


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


def serve(host, port, workers, production):
    """Hand the process to granian (and start the background worker beside it)."""
    from django.conf import settings

    print(f"Minbar: http://{host}:{port}/  (admin: http://{host}:{port}/admin/)", flush=True)
    print(f"Data folder: {settings.DATA_DIR}", flush=True)
    command = [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--no-ws",
        "minbar.wsgi:application",
    ]
    if production:
        command += ["--backpressure", "256"]
    os.execvpe(command[0], command, os.environ)


def cmd_run(args):
    _setup_django(args.settings)
    prepare()
    worker = None
    if not args.no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "minbar.cli", "worker"], env=os.environ.copy())
        os.environ["MINBAR_WORKER_PID"] = str(worker.pid)
    serve(args.host, args.port, args.workers, args.settings.endswith("production"))


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
    run.add_argument("--workers", type=int, default=1, help="granian worker processes")
    run.add_argument("--no-worker", action="store_true", help="do not start the background worker")
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

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
