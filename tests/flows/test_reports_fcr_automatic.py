"""Only a person's reply counts: an automatic message (out-of-hours reply, peak acknowledgement, survey) is
no reply for first-contact resolution nor for the first response, in SQL and in Python alike.

Hand-computed cohort (all three resolved, customers write at 10:00 UTC):
- A: out-of-hours reply at 10:01, an agent's reply at 10:30            -> in the pool, first contact
- B: out-of-hours reply at 10:01 only                                   -> no person's reply: not in the pool
- C: an agent's reply at 10:30, the customer's "thanks" at 10:40        -> in the pool, a follow-up
FCR = 1 / 2 = 50 % (counting automatic messages gave 1 / 3: B counted as resolved at first contact, A not).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem, Sent
from inbox.charter.deadlines import default_due
from inbox.ingest.page import ingest_batch
from inbox.outbox import delivery as outbox
from inbox.reports import kpis, queries
from inbox.reports.first_responses import first_contact_resolution
from inbox.reports.period import Period
from inbox.store import records as store
from inbox.store.tables import Conversation, Message, OutboundReply

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DAY = Period("2026-03-02", T0.date(), T0.date(), UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def customer_writes(engine: Engine, who: str, minutes: int, text: str = "my card was charged twice") -> int:
    """A DM from ``who`` ingested as the listener stores it; its conversation's id."""
    item = InboundItem(
        channel="x-acme",
        external_id=f"{who}-{minutes}",
        thread_key=f"dm-{who}",
        kind="dm",
        visibility="private",
        direction="in",
        author=Author(f"{who}-id", who),
        text=text,
        created_at=at(minutes),
    )
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        ingest_batch(s, channel, "dms", Batch([item], next_cursor=None), due=default_due, now=at(minutes))
    with Session(engine) as s:
        return s.exec(select(Message.conversation_id).where(Message.platform_id == item.external_id)).one()


def brand_sends(engine: Engine, conv_id: int, minutes: int, *, automatic: bool) -> None:
    """A reply through the outbox, delivered at ``minutes``: the out-of-hours reply or an agent's."""
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(
            s,
            conv,
            visibility="private",
            text="Back at 08:00" if automatic else "Refunding it now",
            actor="automation" if automatic else "agent",
            now=at(minutes),
            idempotency_key=f"auto-ooh:{conv_id}" if automatic else None,
        )
        outbox.record_delivery(s, reply, Sent(external_id=f"sent-{reply.id}"), at(minutes))


def resolve(engine: Engine, *conv_ids: int) -> None:
    with Session(engine) as s, s.begin():
        for conv_id in conv_ids:
            conv = s.get(Conversation, conv_id)
            assert conv is not None
            conv.status = "resolved"


def seed(engine: Engine) -> dict[str, int]:
    a, b, c = (customer_writes(engine, who, 0) for who in ("ana", "ben", "cy"))
    brand_sends(engine, a, 1, automatic=True)
    brand_sends(engine, a, 30, automatic=False)
    brand_sends(engine, b, 1, automatic=True)
    brand_sends(engine, c, 30, automatic=False)
    customer_writes(engine, "cy", 40, "thanks!")
    resolve(engine, a, b, c)
    with Session(engine) as s:
        assert len(s.exec(select(OutboundReply)).all()) == 4
    return {"A": a, "B": b, "C": c}


def test_first_contact_resolution_counts_only_a_person_s_replies(engine: Engine) -> None:
    seed(engine)
    with Session(engine) as s:
        in_sql = first_contact_resolution(s, DAY, None)
        in_python = kpis.first_contact_resolution(queries.cohort(s, DAY, None))
    assert (in_sql.resolved_answered, in_sql.first_contact) == (2, 1)
    assert in_sql.rate == 0.5
    assert in_python == in_sql


def test_the_cohort_counts_a_person_s_replies_and_the_first_response_is_theirs(engine: Engine) -> None:
    ids = seed(engine)
    with Session(engine) as s:
        facts = {f.id: f for f in queries.cohort(s, DAY, None)}
    assert {name: facts[i].brand_replies for name, i in ids.items()} == {"A": 1, "B": 0, "C": 1}
    first = {name: facts[i].first_response_at for name, i in ids.items()}
    assert first == {"A": at(30), "B": None, "C": at(30)}
