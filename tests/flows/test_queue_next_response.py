"""A next-response clock runs from the customer's first unanswered message, not their last one, in the queue,
the conversation page and the dashboard alike.

Hand-computed (test charter: a DM's next response is due 60 minutes after it starts, 24/7; at risk from 75 %):
Ana writes at 10:00, an agent answers at 10:05, Ana writes again at 10:10 and 10:40. The next-response clock
started at 10:10 and is due at 11:10. At 11:00, 50 of its 60 minutes have passed (83 %), 10 are left (17 %):
amber in the queue (under 25 % left), at risk on the dashboard. Measured from 10:40 it looked on track: 20 of
30 minutes (67 %), 33 % left (green).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem, Sent
from inbox.charter.deadlines import CharterDue
from inbox.desk.queue import Filters, clock_started, queue_page
from inbox.ingest.page import ingest_batch
from inbox.outbox import delivery as outbox
from inbox.reports.report import live_report
from inbox.store import records as store
from inbox.store.tables import Conversation, Message
from tests.support.charter import make_charter

CHARTER = make_charter()
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
NOW = T0 + timedelta(minutes=60)  # 11:00


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ana_writes(engine: Engine, minutes: int) -> int:
    item = InboundItem(
        channel="x-acme",
        external_id=f"ana-{minutes}",
        thread_key="dm-ana",
        kind="dm",
        visibility="private",
        direction="in",
        author=Author("ana-id", "ana"),
        text="my card was charged twice",
        created_at=at(minutes),
    )
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        batch = Batch([item], next_cursor=None)
        ingest_batch(s, channel, "dms", batch, due=CharterDue(CHARTER), now=at(minutes))
    with Session(engine) as s:
        return s.exec(select(Message.conversation_id).where(Message.platform_id == item.external_id)).one()


def agent_answers(engine: Engine, conv_id: int, minutes: int) -> None:
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(s, conv, visibility="private", text="Checking", actor="agent", now=at(minutes))
        outbox.record_delivery(s, reply, Sent(external_id="answer-1"), at(minutes))


def seed(engine: Engine) -> int:
    conv_id = ana_writes(engine, 0)
    agent_answers(engine, conv_id, 5)
    ana_writes(engine, 10)
    ana_writes(engine, 40)
    with Session(engine) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None and conv.sla_due_at == at(70)  # stored when the clock started at 10:10
    return conv_id


def test_the_queue_colours_a_next_response_clock_from_the_first_unanswered_message(engine: Engine) -> None:
    seed(engine)
    with Session(engine) as s:
        (row,) = queue_page(s, Filters(), user_id=None, now=NOW).rows
    assert row.sla == "amber"  # 10 of 60 minutes left


def test_the_conversation_page_starts_the_clock_at_the_first_unanswered_message(engine: Engine) -> None:
    conv_id = seed(engine)
    with Session(engine) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        assert clock_started(conv, store.thread(s, conv_id)) == at(10)


def test_the_dashboard_puts_it_at_risk_five_sixths_through(engine: Engine) -> None:
    seed(engine)
    with Session(engine) as s:
        (clock,) = live_report(s, CHARTER, NOW).clocks
    assert clock.conversation.clock_start == at(10)
    assert clock.fraction is not None and round(clock.fraction, 4) == round(50 / 60, 4)
    assert clock.state == "at_risk"
