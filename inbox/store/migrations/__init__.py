"""Alembic migrations of the schema (``inbox db upgrade``; every command also migrates on start)."""
