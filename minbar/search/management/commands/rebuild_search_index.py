import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from minbar.search import index


class Command(BaseCommand):
    help = _("Index every live article for search again, from scratch.")

    PROGRESS = _("%(done)s of %(total)s articles indexed")
    DONE = _("Search index rebuilt: %(count)s articles in %(seconds)s s.")

    def handle(self, *args, **options):
        started = time.monotonic()
        verbosity = options["verbosity"]

        def progress(done, total):
            if verbosity > 1:
                self.stdout.write(str(self.PROGRESS) % {"done": done, "total": total})

        count = index.rebuild(progress=progress)
        if verbosity > 0:
            seconds = f"{time.monotonic() - started:.1f}"
            self.stdout.write(str(self.DONE) % {"count": count, "seconds": seconds})
