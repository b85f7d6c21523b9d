"""The dev settings with the anonymous page cache off: every request renders the page.

Used by bench/article_page.py (bench/ is put on PYTHONPATH) to measure the
uncached article page on the same server and data as the cached one.
"""

from minbar.settings.dev import *  # noqa: F403

MINBAR_PAGE_CACHE_SECONDS = 0
