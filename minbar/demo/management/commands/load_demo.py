"""`manage.py load_demo`: fill the site with the demo newsroom (safe to repeat)."""

import logging

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from minbar.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load Minbar's demo content: sections, authors, series and articles with their pictures."

    def handle(self, *args, **options):
        # Wagtail logs every page it creates and publishes; for a hundred demo pages that is noise.
        wagtail_logger = logging.getLogger("wagtail")
        level = wagtail_logger.level
        if options["verbosity"] < 2:
            wagtail_logger.setLevel(logging.WARNING)
        try:
            result = load_demo()
        finally:
            wagtail_logger.setLevel(level)
        counts = {
            "articles": result.articles,
            "live": result.live,
            "scheduled": result.scheduled,
            "authors": result.authors,
            "series": result.series,
            "sections": result.sections,
            "images": result.images,
        }
        summary = _(
            "%(articles)d articles (%(live)d published, %(scheduled)d scheduled), %(authors)d authors, "
            "%(series)d series, %(sections)d sections, %(images)d images."
        ) % counts
        if result.created_anything:
            self.stdout.write(self.style.SUCCESS(_("Demo content loaded: %(summary)s") % {"summary": summary}))
        else:
            message = _("The demo content is already there, nothing added: %(summary)s")
            self.stdout.write(message % {"summary": summary})
