"""A next response is judged by the target its clock ran on in the queue: a customer tagged VIP after that
clock started keeps the clock's target (the charter: targets are fixed when the clock starts; a tag set
later shortens the next ones only).

Shipped charter (public: next response 60 business minutes; segment vip 30), Wednesday 4 November 2026,
Paris. Ann writes at 09:00, answered 09:10; she writes again at 10:00 (queue: due 11:00). Alice tags her
VIP at 10:05 and answers at 10:45: on time in the queue, but the report judged it on 30 minutes (due
10:30) and counted it missed. After the tag, her 11:00 message runs on 30 minutes: answered 11:40, missed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.desk.actions import set_customer_tags
from inbox.reports.period import Period
from inbox.reports.report import period_report
from inbox.store.tables import Conversation
from tests.support.reports_seed import Story

PARIS = ZoneInfo("Europe/Paris")
CHARTER = load_charter(Path(__file__).resolve().parents[2] / "config")
DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), PARIS)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=PARIS).astimezone(UTC)


def test_a_tag_set_after_a_next_clock_started_does_not_rejudge_it(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        s.channel("x-acme", "x")
        alice = s.user("alice")
        conv_id = s.conversation("x-acme", "ann")
        s.customer(conv_id, at(9))
        s.reply(conv_id, "alice", at(9, 5), at(9, 10))
        s.customer(conv_id, at(10))
        conv = session.get_one(Conversation, conv_id)
        assert conv.sla_due_at == at(11) and conv.contact_id is not None
        set_customer_tags(session, conv.contact_id, ["VIP"], alice, at(10, 5))
        s.reply(conv_id, "alice", at(10, 40), at(10, 45))
        s.customer(conv_id, at(11))
        assert session.get_one(Conversation, conv_id).sla_due_at == at(11, 30)
        s.reply(conv_id, "alice", at(11, 35), at(11, 40))
    with Session(engine) as session:
        rows = [
            t
            for t in period_report(session, CHARTER, DAY, datetime(2026, 11, 5, tzinfo=UTC)).targets
            if t.metric == "next_response"
        ]
    assert [(t.met, t.missed) for t in rows] == [(1, 1)]
