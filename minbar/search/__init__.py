"""Full-text search over minbar.arabic analysis: SQLite FTS5 or PostgreSQL."""
