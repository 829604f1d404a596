"""An agent's correction of a message's contact reason corrects what that message said: the clocks that
started from it on are worked out again with it, not those that started before it (docs/kpis.md).

Shipped charter (public: 60 business minutes; account_access 30), Wednesday 4 November 2026, Paris. Ann
writes about a double charge at 09:00 (billing_payment: first response due 10:00), answered 09:50, on time.
At 10:30 she writes that she cannot sign in any more, which the classifier reads as ``other`` (the billing
clock: due 11:30). Alice corrects it to account_access at 10:35: the running clock is now due 11:00, but the
first response, asked about billing, stays due 10:00; the queue re-judged it with the reason of now (due
09:30), so the dashboard and the report counted a first answer on time as missed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.charter.deadlines import CharterDue
from inbox.charter.model import load_charter
from inbox.desk import corrections
from inbox.reports.period import Period
from inbox.reports.report import period_report
from inbox.store.tables import Conversation, Message
from tests.support.reports_seed import Story

PARIS = ZoneInfo("Europe/Paris")
CHARTER = load_charter(Path(__file__).resolve().parents[2] / "config")
DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), PARIS)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=PARIS).astimezone(UTC)


def classified(s: Story, conv_id: int, when: datetime, reason: str) -> int:
    """A customer message classified ``reason`` (set on the conversation first, as ingestion does)."""
    conv = s.session.get_one(Conversation, conv_id)
    conv.reason = reason if reason != "other" or conv.reason is None else conv.reason
    s.customer(conv_id, when)
    message = s.session.exec(
        select(Message).where(Message.conversation_id == conv_id).order_by(col(Message.id).desc())
    ).first()
    assert message is not None and message.id is not None
    message.reason = reason
    s.session.add(message)
    s.session.flush()
    return message.id


def test_a_corrected_follow_up_does_not_rejudge_the_first_response(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        s.channel("x-acme", "x")
        alice = s.user("alice")
        conv_id = s.conversation("x-acme", "ann")
        classified(s, conv_id, at(9), "billing_payment")
        s.reply(conv_id, "alice", at(9, 45), at(9, 50))
        follow_up = classified(s, conv_id, at(10, 30), "other")
        assert session.get_one(Conversation, conv_id).sla_due_at == at(11, 30)
        corrections.correct(
            session, follow_up, "reason", "account_access", alice, at(10, 35), CharterDue(CHARTER)
        )
        conv = session.get_one(Conversation, conv_id)
        assert conv.reason == "account_access"
        assert (conv.first_response_due_at, conv.sla_due_at) == (at(10), at(11))
    with Session(engine) as session:
        report = period_report(session, CHARTER, DAY, datetime(2026, 11, 5, tzinfo=UTC))
    first = [t for t in report.targets if t.metric == "first_response"]
    assert [(t.met, t.missed) for t in first] == [(1, 0)]
