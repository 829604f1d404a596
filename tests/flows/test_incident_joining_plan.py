"""An open incident's automatic joining reads only the messages stored since its last scan (SQLite's plan).

It runs at every automation tick. Written as a correlated EXISTS, SQLite looked up every inbound message for
each open conversation (12.7 s a tick on the demo's 7,000 messages, the listener at 45 % of a core); the
messages stored since are now read once, from the ``(direction, ingested_at)`` index. PostgreSQL's plan is
checked with the other queries in ``test_pg_explain``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from bench.seed import seed
from inbox.desk.incidents import members
from inbox.store.tables import Incident

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def joining_incident() -> Incident:
    """An incident open for two days, scanned up to an hour ago (never stored: the query does not need it)."""
    return Incident(
        id=10**6,
        title="Payment page down",
        since=NOW - timedelta(days=2),
        threshold=0.2,
        declared_by="maya",
        declared_at=NOW - timedelta(days=2),
        scanned_to=NOW - timedelta(hours=1),
    )


def test_joining_reads_the_messages_stored_since_by_their_index(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL's is in test_pg_explain")
    seed(engine, messages=3_000, now=NOW)
    incident = joining_incident()
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "ingested_at" in statement:
            statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", note)
    try:
        with Session(engine) as session:
            members.candidates(session, incident, after=incident.scanned_to)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    [(statement, params)] = statements
    with engine.connect() as conn:
        plan = [str(row[3]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)]
    reads = [step for step in plan if " message " in f" {step} "]
    assert reads == ["SEARCH message USING INDEX ix_message_stored (direction=? AND ingested_at>?)"], plan
    assert not any(step.startswith("CORRELATED") and "message" in step for step in plan)
    with engine.connect() as conn:  # the index the migration made is the model's
        names = {r[1] for r in conn.execute(text("PRAGMA index_list('message')"))}
    assert "ix_message_stored" in names
