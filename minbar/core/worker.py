"""The background worker: queued tasks, and scheduled articles published on time."""

import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections

logger = logging.getLogger("minbar.worker")


def publish_due_pages():
    """Publish every scheduled revision whose time has come (Wagtail's publish_scheduled)."""
    call_command("publish_scheduled", verbosity=0)


def _publish_due_pages_forever(interval, stop):
    while not stop.is_set():
        # A long-lived thread must drop connections the database has closed.
        close_old_connections()
        try:
            publish_due_pages()
        except Exception:  # one bad revision must not stop the next look
            logger.exception("scheduled publishing failed; trying again in %s s", interval)
        finally:
            close_old_connections()
        stop.wait(interval)


def run_worker(interval=None):
    """Run queued tasks; beside them, look for due scheduled articles every `interval` seconds."""
    interval = interval or settings.MINBAR_SCHEDULE_INTERVAL
    stop = threading.Event()
    scheduler = threading.Thread(target=_publish_due_pages_forever, args=(interval, stop), daemon=True)
    scheduler.start()
    logger.info("worker started; scheduled articles checked every %s s", interval)
    try:
        _run_tasks_through_outages()
    finally:
        stop.set()


# Seconds between two attempts to reach a database that could not be reached.
DATABASE_RETRY_SECONDS = 2


def _run_tasks_through_outages():
    """Run queued tasks; while the database cannot be reached, wait and try again instead of exiting.

    django-tasks' worker stops at a database error. A PostgreSQL restart must
    not end `minbar worker` (and with it `minbar run`, which stops the site
    when one of its processes ends): queued tasks wait in the database and
    run once it is back.
    """
    from django.db import DatabaseError, connections

    from .outage import is_database_unavailable

    while True:
        try:
            call_command("db_worker", interval=1)
            return
        except DatabaseError as error:
            if not is_database_unavailable(error):
                raise
            logger.warning(
                "database unavailable (%s); running tasks again in %s s",
                str(error).splitlines()[0][:200],
                DATABASE_RETRY_SECONDS,
            )
            connections.close_all()
            time.sleep(DATABASE_RETRY_SECONDS)
