"""Signals other apps listen to without the newsroom knowing them."""

from django.dispatch import Signal

# Sent once after a bulk import created or changed many articles at once
# (page_ids: their primary keys). Bulk importers create pages without Wagtail's
# per-page publish signal, so that search and "read also" can process the
# whole batch in one go instead of article by article.
articles_imported = Signal()
