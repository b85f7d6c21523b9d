"""The background worker: queued tasks, and scheduled publishing on time."""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections

logger = logging.getLogger("minbar.worker")


def publish_due_pages_forever(interval, stop):
    """Publish scheduled revisions whose time has come, every `interval` seconds."""
    while not stop.is_set():
        try:
            close_old_connections()
            call_command("publish_scheduled", verbosity=0)
        except Exception:  # a bad revision must not stop publication of the others next time
            logger.exception("scheduled publishing failed; trying again in %s s", interval)
        finally:
            close_old_connections()
        stop.wait(interval)


def run_worker(interval=None):
    interval = interval or settings.MINBAR_SCHEDULE_INTERVAL
    stop = threading.Event()
    scheduler = threading.Thread(target=publish_due_pages_forever, args=(interval, stop), daemon=True)
    scheduler.start()
    logger.info("worker started; scheduled articles checked every %s s", interval)
    try:
        call_command("db_worker", interval=1)
    finally:
        stop.set()
