"""`manage.py refresh_related`: compute every live article's "read also" list now."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from minbar.related import services


class Command(BaseCommand):
    help = "Compute the “read also” list of every live article (or of the given ones), without the worker."

    PROGRESS = _("“Read also”: %(done)d / %(total)d")
    DONE = _("Lists stored: %(count)d. Time: %(seconds).1f s (%(per_article).1f ms per article).")

    def add_arguments(self, parser):
        parser.add_argument("article_ids", nargs="*", type=int, help="only these articles (page ids)")

    def handle(self, article_ids, verbosity, **options):
        def progress(done, total):
            if verbosity >= 1:
                self.stdout.write(str(self.PROGRESS % {"done": done, "total": total}))

        started = time.perf_counter()
        if article_ids:
            count = services.refresh(article_ids, neighbours=False, progress=progress)
        else:
            count = services.refresh_all(progress=progress)
        seconds = time.perf_counter() - started
        per_article = 1000 * seconds / count if count else 0.0
        self.stdout.write(str(self.DONE % {"count": count, "seconds": seconds, "per_article": per_article}))
