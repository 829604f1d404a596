"""Flow tests: the inbox through a real database (SQLite or PostgreSQL), the sandboxes and real processes."""
