"""An X post whose edit was read before it: the customer wrote when the first version was posted, and the
clocks count from then once that version is read (an edit never moves a clock, docs/failures.md).

Default policy (60 minutes, 24/7), 4 March 2026, UTC: Ana posts at 10:00 and edits at 10:40 (X gives the
edit its own id); the listener reads the edit at 10:41, the first version at 10:50. By hand: her first
message is at 10:00, due 11:00. An answer at 11:20 is missed, after 80 minutes (the inbox counted from the
edit: due 11:40, met after 40); an answer at 10:45, before the first version was read, is met after 45.
The same for a private message the platform keeps addressing by its first id (a Messenger, WhatsApp or
Telegram edit read before the message: stored as it, ``1:edit:1`` naming ``1``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import default_due
from inbox.ingest.page import ingest_batch
from inbox.reports.first_responses import outcome_counts, response_times
from inbox.reports.period import Period
from inbox.store import records as store
from inbox.store.tables import Conversation, Message

DAY = Period("2026-03-04", date(2026, 3, 4), date(2026, 3, 4), UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 4, hour, minute, tzinfo=UTC)


def post(
    external_id: str, written: datetime, edits: tuple[str, ...] = (), private: bool = False
) -> InboundItem:
    return InboundItem(
        channel="x-acme",
        external_id=external_id,
        thread_key="1",
        kind="dm" if private else "mention",
        visibility="private" if private else "public",
        direction="out" if external_id == "reply" else "in",
        author=Author("brand", "AcmeCare") if external_id == "reply" else Author("ana-id", "ana"),
        text=f"@AcmeCare parcel {external_id}",
        created_at=written,
        edits=edits,
    )


def read(engine: Engine, read_at: datetime, item: InboundItem) -> None:
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        ingest_batch(s, channel, "mentions", Batch([item], next_cursor=None), due=default_due, now=read_at)


@pytest.mark.parametrize(
    ("answered", "outcome", "wait"), [(at(11, 20), "missed", 80.0), (at(10, 45), "met", 45.0)]
)
@pytest.mark.parametrize(("edit", "private"), [("2", False), ("1:edit:1", True)])
def test_the_clock_counts_from_the_first_version_read_after_its_edit(
    engine: Engine, edit: str, private: bool, answered: datetime, outcome: str, wait: float
) -> None:
    read(engine, at(10, 41), post(edit, at(10, 40), edits=("1",), private=private))
    if answered < at(10, 50):
        read(engine, answered, post("reply", answered, private=private))
    read(engine, at(10, 50), post("1", at(10), private=private))
    if answered > at(10, 50):
        read(engine, answered, post("reply", answered, private=private))
    with Session(engine) as s:
        conv = s.exec(select(Conversation)).one()
        customer = s.exec(select(Message).where(Message.direction == "in")).one()
        assert customer.created_at is not None and customer.created_at.astimezone(UTC) == at(10)
        assert (conv.first_inbound_at, conv.first_response_due_at) == (at(10), at(11))
        assert [c.outcome for c in outcome_counts(s, DAY, None, at(12))] == [outcome]
        times = response_times(s, DAY, None)["x-acme"]
    assert (times.answered, times.median_minutes) == (1, wait)
