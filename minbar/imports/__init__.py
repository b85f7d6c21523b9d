"""Bulk imports of articles from outside (JSON Lines; later WordPress)."""
