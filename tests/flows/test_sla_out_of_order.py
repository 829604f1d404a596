"""Messages stored out of order (a backfill reads pages newest first) still give the clocks their own times.

Hand-computed with the default policy (every clock due 60 minutes after it starts, 24/7): the conversation's
first response, due times and report outcome must be what they would be had the messages arrived in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.backfill import backfill_stream
from inbox.ingest.page import ingest_batch
from inbox.reports.first_responses import outcome_counts
from inbox.reports.period import Period
from inbox.store import records as store
from inbox.store.tables import Conversation, Message
from tests.conftest import BRAND_ID
from tests.support.x_channel import x_runtime

NOW = datetime.now(UTC).replace(second=0, microsecond=0)
T0 = (NOW - timedelta(days=2)).replace(hour=10, minute=0)  # 10:00 UTC two days ago


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def sandbox() -> Iterator[XSandbox]:
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sb:
        yield sb


def brand_writes_others(sandbox: XSandbox, *minutes: int) -> None:
    """The brand's DMs to other people at these minutes past 10:00: they push Ana's messages onto other
    pages (and, with no customer message, are no conversation of the report's cohort)."""
    for n, minute in enumerate(minutes):
        sandbox.add_dm(f"news {n}", sender="AcmeCare", recipient=f"other{n}", created_at=at(minute))


def backfill_dms(engine: Engine, sandbox: XSandbox, ana_dm: str) -> Conversation:
    """Backfill the DM stream, five events a page, newest first (as X lists DM events); the conversation
    holding ``ana_dm``."""
    rt = x_runtime(sandbox, page_size=5)
    progress = backfill_stream(
        engine, rt, "dms", NOW - timedelta(days=7), clock=lambda: NOW, due=default_due, sleep=lambda _s: None
    )
    assert progress.done and progress.pages >= 2
    with Session(engine) as s:
        found = s.exec(select(Message.conversation_id).where(Message.platform_id == ana_dm)).one()
        conv = s.get(Conversation, found)
    assert conv is not None
    return conv


def outcome(engine: Engine, conv: Conversation) -> str:
    """The conversation's first-response outcome as the report counts it."""
    day = Period("day", T0.date(), T0.date(), UTC)
    with Session(engine) as s:
        (found,) = outcome_counts(s, day, None, NOW)
    assert found.conversations == 1
    return found.outcome


def test_a_reply_backfilled_before_the_dm_it_answers_still_answers_it(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    dm = sandbox.add_dm("my card was charged twice", sender="ana", created_at=at(0))
    brand_writes_others(sandbox, 16, 17, 18, 19)
    sandbox.add_dm("Sorry Ana, refunding it now", sender="AcmeCare", recipient="ana", created_at=at(20))
    conv = backfill_dms(engine, sandbox, dm)  # the reply (10:20) is stored a page before the DM (10:00)
    assert (conv.first_inbound_at, conv.first_response_at) == (at(0), at(20))
    assert conv.sla_due_at is None  # answered: no clock runs
    assert conv.first_response_due_at == at(60)
    assert outcome(engine, conv) == "met"  # answered after 20 minutes of 60


def test_the_first_dm_starts_the_clock_even_when_stored_after_a_later_one(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    dm = sandbox.add_dm("hello?", sender="ana", created_at=at(0))
    brand_writes_others(sandbox, 1, 2, 3)
    sandbox.add_dm("anyone there?", sender="ana", created_at=at(5))
    sandbox.add_dm("Hi Ana, here now", sender="AcmeCare", recipient="ana", created_at=at(63))
    conv = backfill_dms(engine, sandbox, dm)  # 11:03 and 10:05 a page before 10:00
    assert conv.first_inbound_at == at(0)
    assert conv.first_response_due_at == at(60)  # from 10:00, not from 10:05 (11:05)
    assert conv.first_response_at == at(63)
    assert outcome(engine, conv) == "missed"  # 11:03 is after 11:00


def test_a_next_response_clock_starts_at_the_first_unanswered_message_whatever_the_storage_order(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    dm = sandbox.add_dm("my card was charged twice", sender="ana", created_at=at(0))
    sandbox.add_dm("Checking, Ana", sender="AcmeCare", recipient="ana", created_at=at(10))
    sandbox.add_dm("still charged", sender="ana", created_at=at(30))
    brand_writes_others(sandbox, 31, 32, 33)
    sandbox.add_dm("and again today", sender="ana", created_at=at(40))
    conv = backfill_dms(engine, sandbox, dm)  # 10:40 a page before 10:30, 10:10 and 10:00
    assert (conv.first_response_at, conv.first_response_due_at) == (at(10), at(60))
    assert conv.sla_due_at == at(90)  # the next-response clock runs from 10:30
    assert (conv.last_inbound_at, conv.last_outbound_at) == (at(40), at(10))
    assert conv.status == "open"


def item(external_id: str, direction: str, minutes: int) -> InboundItem:
    customer = direction == "in"
    return InboundItem(
        channel="x-acme",
        external_id=external_id,
        thread_key="dm-ana",
        kind="dm",
        visibility="private",
        direction="in" if customer else "out",
        author=Author("ana-id", "ana") if customer else Author(BRAND_ID, "AcmeCare"),
        text="my card was charged twice" if customer else "Refunding it now",
        created_at=at(minutes),
    )


def ingest(engine: Engine, *items: InboundItem) -> None:
    """One page with ``items`` in the order given, committed."""
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        ingest_batch(s, channel, "dms", Batch(list(items), next_cursor=None), due=default_due, now=NOW)


def test_a_reply_stored_a_page_before_its_question_answers_it(engine: Engine) -> None:
    ingest(engine, item("2", "out", 20))
    ingest(engine, item("1", "in", 0))
    with Session(engine) as s:
        conv = s.exec(select(Conversation)).one()
    assert (conv.first_inbound_at, conv.first_response_at, conv.sla_due_at) == (at(0), at(20), None)
    assert conv.first_response_due_at == at(60)
    assert outcome(engine, conv) == "met"


def test_one_page_listing_a_reply_before_its_question_is_stored_in_time_order(engine: Engine) -> None:
    ingest(engine, item("2", "out", 20), item("1", "in", 0))
    with Session(engine) as s:
        conv = s.exec(select(Conversation)).one()
    assert (conv.first_inbound_at, conv.first_response_at, conv.sla_due_at) == (at(0), at(20), None)
    assert outcome(engine, conv) == "met"
