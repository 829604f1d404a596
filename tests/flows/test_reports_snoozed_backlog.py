"""Waiting for an answer is what the queue shows: an open conversation whose response clock runs. A snoozed
(pending) one has left the queue, the running clocks and the alerts until it opens again (docs/kpis.md), so
the dashboard's backlog, at-risk and breached lists leave it out, like the peak plan.

Wednesday 4 March 2026, times UTC, the report seed's charter (x-acme public 60 min 24/7): ann and bob write
at 10:00 (due 11:00); alice snoozes bob's until 16:00 at 10:10. At 11:30: one waiting, breached (ann).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.desk.snooze import snooze
from inbox.reports.report import live_report
from tests.support.reports_seed import Story, write_config


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 4, hour, minute, tzinfo=UTC)


def test_a_snoozed_conversation_is_not_waiting_on_the_dashboard(engine: Engine, tmp_path: Path) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter, "alice")
        alice = s.users["alice"]
        ann, bob = s.conversation("x-acme", "ann"), s.conversation("x-acme", "bob")
        s.customer(ann, at(10))
        s.customer(bob, at(10))
        snooze(session, bob, alice, at(16), at(10, 10))
    now = at(11, 30)
    with Session(engine) as session:
        live = live_report(session, charter, now)
        peak = open_clocks(session, CharterBook(charter), now)
    assert live.waiting == len(peak) == 1
    assert [c.conversation.id for c in live.breached] == [c.conversation_id for c in peak] == [ann]
