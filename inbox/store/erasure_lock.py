"""The erasure lock: an erasure and the pages being stored take turns. Session-taking; never commits.

A page holds it shared from before it looks its items up until it commits (pages do not wait for each
other); an erasure holds it alone for its whole transaction. So a page either sees the erasure done, or the
erasure sees the page's messages: the listener never keeps a copy of a conversation or customer read
before an erasure to write into after it. PostgreSQL: an advisory transaction lock (shared / exclusive);
SQLite: its one write lock, taken at once by a write that changes nothing.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

ERASURE_LOCK = 7_220_261_208  # PostgreSQL advisory lock key (the migration lock is ..._206)


def _take(session: Session, shared: bool) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        how = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        session.execute(text(f"SELECT {how}(:key)"), {"key": ERASURE_LOCK})
    elif dialect == "sqlite":
        write_lock(session)


def write_lock(session: Session) -> None:
    """SQLite: take the database's one write lock now (waiting up to the busy timeout for another writer), so
    what this transaction reads from here on stays true until it commits. Nothing elsewhere."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE channel SET id = id WHERE 0 = 1"))


def hold_erasures(session: Session) -> None:
    """A page (or a legal hold): wait for an erasure under way; keep any from starting until this ends. Take
    it before locking any row an erasure changes (a webhook event, a conversation), or the two wait for each
    other. On SQLite a page takes ``write_lock`` instead before it looks its items up (after classifying
    them: the lock is the database's only one)."""
    if session.get_bind().dialect.name == "postgresql":
        _take(session, shared=True)


def hold_pages(session: Session) -> None:
    """An erasure: wait for the pages under way; keep new ones from storing until this transaction ends."""
    _take(session, shared=False)
