"""Query plans at scale (PostgreSQL): the queue, its count and the dashboard/report queries use indexes.

The real functions run against a seeded database (100,000 messages, 25,000 conversations of which 10,000
open) and every statement they send is captured and EXPLAINed after ANALYZE: none may read ``message`` or
``conversation`` with a sequential scan.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from bench.seed import seed
from connectors.base import Author
from inbox.desk.incidents import members
from inbox.desk.queue import Filters, filter_options, queue_page
from inbox.reports import first_responses, queries
from inbox.reports.period import Period, rolling
from inbox.store import records as store
from inbox.store.tables import Incident
from tests.conftest import PG_ADMIN_URL

pytestmark = pytest.mark.skipif(
    not PG_ADMIN_URL, reason="query plans are checked on PostgreSQL only (set by `make test-postgres`)"
)
BIG = ("message", "conversation")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def seeded() -> Iterator[Engine]:
    """One seeded database for the module (seeding is the slow part)."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from inbox.store.engine import open_engine

    name = f"t_explain_{uuid.uuid4().hex[:8]}"
    admin = make_url(PG_ADMIN_URL or "")
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = open_engine(admin.set(database=name).render_as_string(hide_password=False))
    seed(engine, messages=100_000, now=NOW)
    yield engine
    engine.dispose()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def captured(engine: Engine, run: Callable[[Session], Any]) -> list[tuple[str, Any]]:
    """Every SELECT that ``run`` sends, with its parameters."""
    found: list[tuple[str, Any]] = []

    def note(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((statement, params))

    event.listen(engine, "before_cursor_execute", note)
    try:
        with Session(engine) as session:
            run(session)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert found, "nothing was queried"
    return found


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def seq_scans(engine: Engine, statement: str, params: Any) -> list[str]:
    """The big tables this statement reads with a sequential scan."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("EXPLAIN (FORMAT JSON) " + statement, params)
        doc = cur.fetchone()[0]  # type: ignore[index]
    finally:
        raw.close()
    plan = (doc if isinstance(doc, list) else json.loads(doc))[0]["Plan"]
    return [
        n["Relation Name"]
        for n in _nodes(plan)
        if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in BIG
    ]


def _today() -> Period:
    return rolling("today", NOW, UTC)


def _week() -> Period:
    return rolling("7d", NOW, UTC)


CASES: dict[str, Callable[[Session], Any]] = {
    "queue first page and count": lambda s: queue_page(s, Filters(), user_id=None, now=NOW),
    "queue, one channel, unassigned": lambda s: queue_page(
        s, Filters(channel="x-acme", assignee="unassigned"), user_id=None, now=NOW
    ),
    "queue, high urgency": lambda s: queue_page(s, Filters(urgency="high"), user_id=None, now=NOW),
    "queue filter options": filter_options,
    "report cohort today": lambda s: queries.cohort(s, _today(), None),
    "report cohort 7 days, one channel": lambda s: queries.cohort(s, _week(), 1),
    "report SLA outcomes 7 days": lambda s: first_responses.outcome_counts(s, _week(), None, NOW),
    "report SLA outcomes today, one channel": lambda s: first_responses.outcome_counts(s, _today(), 1, NOW),
    "report response-time ranks 7 days": lambda s: first_responses.response_times(s, _week(), None),
    "report first-contact resolution 7 days": lambda s: first_responses.first_contact_resolution(
        s, _week(), None
    ),
    "report messages per hour 7 days": lambda s: queries.hour_counts(s, _week(), None),
    "dashboard backlog": lambda s: queries.backlog(s, None),
    "dashboard running clocks": lambda s: queries.open_clocks(s, None),
    "report agents 7 days": lambda s: queries.agent_counts(s, _week(), 1),
    "report handling events 7 days": lambda s: queries.agent_events(s, _week(), 1, timedelta(hours=4)),
    "ingestion: a page's known messages": lambda s: store.existing_platform_ids(
        s, 2, [str(10**15 + j) for j in range(0, 20_000, 200)]
    ),
    "ingestion: a page's conversations": lambda s: store.conversations_for(s, 2, _threads()),
    "ingestion: a page's customers": lambda s: store.contacts_for(
        s, 2, [Author(platform_id=str(k)) for k in range(1, 8000, 80)], NOW
    ),
    "incidents: automatic joining's messages stored since the last scan": lambda s: members.candidates(
        s, _incident(), after=NOW - timedelta(hours=1)
    ),
}


def _incident() -> Incident:
    """An incident open for two days (never stored: the joining query does not need it to be)."""
    day_before = NOW - timedelta(days=2)
    return Incident(
        id=10**6, title="Payment page down", since=day_before, declared_by="maya", declared_at=day_before
    )


def _threads() -> list[tuple[str, str, str, datetime]]:
    """100 existing threads of channel 2 (odd ids), as a page of items would name them."""
    ids = range(1, 20_000, 200)
    return [("private" if i % 4 == 0 else "public", f"thread-{i}", "mention", NOW) for i in ids]


@pytest.mark.parametrize("case", list(CASES))
def test_no_sequential_scan_of_messages_or_conversations(seeded: Engine, case: str) -> None:
    bad = {}
    for statement, params in captured(seeded, CASES[case]):
        scans = seq_scans(seeded, statement, params)
        if scans:
            bad[statement] = scans
    assert not bad, "\n\n".join(f"{scans}: {sql}" for sql, scans in bad.items())
