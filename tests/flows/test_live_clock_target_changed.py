"""A running clock whose target changed since it started (a later message made the conversation an
account-access one) is at risk by the same rule in the queue, the alerts' pre-check and the dashboard: once
the charter's at-risk fraction of its own span, from its start to its stored due time, has elapsed
(docs/kpis.md, "At risk").

Shipped charter (public: 60 business minutes; account_access 30; at risk at 0.75), Wednesday 4 November
2026, Paris. Ann's billing question at 09:00 is answered 09:10; her 10:00 follow-up starts a clock due 11:00;
at 10:05 she adds that she cannot log in (account_access). At 10:50, 50 of its 60 minutes have elapsed: the
dashboard lists it at risk, but the queue judged it on account access's 30 minutes (at risk only in the last
7.5 minutes before 11:00) and called it on track, so no at-risk alert either.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.charter.model import load_charter
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.reports.report import live_report
from inbox.store.tables import Conversation, Message
from tests.support.reports_seed import Story

PARIS = ZoneInfo("Europe/Paris")
CHARTER = load_charter(Path(__file__).resolve().parents[2] / "config")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=PARIS).astimezone(UTC)


def test_a_clock_whose_reason_changed_is_at_risk_on_its_own_span(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        s.channel("x-acme", "x")
        s.user("alice")
        conv_id = s.conversation("x-acme", "ann")
        s.customer(conv_id, at(9))
        s.reply(conv_id, "alice", at(9, 5), at(9, 10))
        s.customer(conv_id, at(10))
        s.customer(conv_id, at(10, 5))
        conv = session.get_one(Conversation, conv_id)
        conv.reason = "account_access"  # the 10:05 message's reason, as ingestion sets it
        last = session.exec(select(Message).order_by(col(Message.id).desc())).first()
        assert last is not None and conv.sla_due_at == at(11)
        last.reason = "account_access"
        session.add_all([conv, last])
    with Session(engine) as session:
        [queue] = open_clocks(session, CharterBook(CHARTER), at(10, 50))
        [live] = live_report(session, CHARTER, at(10, 50)).clocks
    assert live.state == "at_risk"
    assert queue.state == "at_risk"
    assert queue.remaining.total_seconds() == 10 * 60
