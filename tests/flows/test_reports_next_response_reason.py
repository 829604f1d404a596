"""A next response is judged with the contact reason in force when its clock started, as the queue set its due
time: a later message that changes the conversation's reason by itself does not re-judge a running clock.

Shipped charter (public: next response 60 business minutes; account_access 30 and at least high, also 30),
Wednesday 4 November 2026, Paris. Ann writes about a double charge at 09:00 (billing_payment), answered 09:10.
She writes again at 10:00 (billing_payment: the queue's clock is due 11:00); at 10:05 she adds that she cannot
log in any more (account_access): the conversation's reason is now account_access, but the running clock keeps
its due time. Alice answers at 10:45: on time in the queue, but the report judged it with the reason of now
(due 10:30) and counted it missed. Her 11:00 message starts a clock under account_access (due 11:30), answered
11:40: missed in both.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.charter.model import load_charter
from inbox.nlp.reasons import conversation_reason
from inbox.reports.period import Period
from inbox.reports.report import period_report
from inbox.store.tables import Conversation, Message
from tests.support.reports_seed import Story

PARIS = ZoneInfo("Europe/Paris")
CHARTER = load_charter(Path(__file__).resolve().parents[2] / "config")
DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), PARIS)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=PARIS).astimezone(UTC)


def customer(s: Story, conv_id: int, when: datetime, reason: str) -> None:
    """A customer message classified with ``reason``, as ingestion stores it: the conversation's reason
    first (``inbox.ingest.page``), then the clock."""
    conv = s.session.get_one(Conversation, conv_id)
    conv.reason = conversation_reason(conv.reason, reason)
    s.customer(conv_id, when)
    message = s.session.exec(
        select(Message).where(Message.conversation_id == conv_id).order_by(col(Message.id).desc())
    ).first()
    assert message is not None
    message.reason = reason
    s.session.add(message)
    s.session.flush()


def test_a_reason_changed_by_a_later_message_does_not_rejudge_the_running_clock(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        s.channel("x-acme", "x")
        s.user("alice")
        conv_id = s.conversation("x-acme", "ann")
        customer(s, conv_id, at(9), "billing_payment")
        s.reply(conv_id, "alice", at(9, 5), at(9, 10))
        customer(s, conv_id, at(10), "billing_payment")
        customer(s, conv_id, at(10, 5), "account_access")
        conv = session.get_one(Conversation, conv_id)
        assert conv.reason == "account_access" and conv.sla_due_at == at(11)
        s.reply(conv_id, "alice", at(10, 40), at(10, 45))
        customer(s, conv_id, at(11), "other")
        assert session.get_one(Conversation, conv_id).sla_due_at == at(11, 30)
        s.reply(conv_id, "alice", at(11, 35), at(11, 40))
    with Session(engine) as session:
        rows = [
            t
            for t in period_report(session, CHARTER, DAY, datetime(2026, 11, 5, tzinfo=UTC)).targets
            if t.metric == "next_response"
        ]
    assert [(t.met, t.missed) for t in rows] == [(1, 1)]
