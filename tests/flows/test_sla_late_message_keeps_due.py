"""A message stored late does not re-judge a first response with today's tags (audit r20, finding 8).

The report seed's charter: x-acme public 60 minutes (24/7), VIP 30. Wednesday 4 March 2026, UTC: a mention
at 10:00 (due 11:00, stored at arrival) is answered at 10:40 and resolved; at 11:00 a manager tags the
customer VIP; at 12:00 a poll brings the customer's follow-up dated 10:05. The first message did not change,
so the first response stays due 11:00 and met: attainment 1 of 1, as reported before the late message.
"""

from __future__ import annotations

import tomllib
from datetime import UTC

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import CharterDue
from inbox.charter.model import parse_charter
from inbox.ingest.page import ingest_batch
from inbox.reports.report import period_report
from inbox.store.tables import Channel, Contact, Conversation
from tests.flows.test_reports_charter_figures import DAY, NOW, at
from tests.support.reports_seed import CHARTER_TOML, Story

CHARTER = parse_charter(tomllib.loads(CHARTER_TOML))


def _mention(external_id: str, minute: int) -> Batch:
    item = InboundItem(
        channel="x-acme",
        external_id=external_id,
        thread_key="t-ann",
        kind="mention",
        visibility="public",
        direction="in",
        author=Author("u-ann", "ann"),
        text=f"message {external_id}",
        created_at=at(10, minute),
    )
    return Batch([item], None)


def _ingest(session: Session, channel: Channel, batch: Batch, now_hour: int) -> None:
    ingest_batch(session, channel, "mentions", batch, due=CharterDue(CHARTER), now=at(now_hour))


def _attainment(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        found = period_report(session, CHARTER, DAY, NOW)
    return found.attainment.met, found.attainment.missed


def test_a_late_follow_up_keeps_the_first_response_due_time_of_arrival(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        channel = s.channel("x-acme", "x")
        s.user("alice")
        _ingest(session, channel, _mention("m1", 0), 10)
        conv = session.exec(select(Conversation)).one()
        assert conv.id is not None
        s.reply(conv.id, "alice", at(10, 35), at(10, 40))
        s.resolve(conv.id, "alice", at(10, 45))
    assert _attainment(engine) == (1, 0)  # what last week's report said
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.exec(select(Contact)).one().tags = ["VIP"]  # 11:00: tagged VIP after the fact
        channel = session.exec(select(Channel)).one()
        _ingest(session, channel, _mention("m2", 5), 12)  # the 10:05 follow-up, listed late
    assert _attainment(engine) == (1, 0)
    with Session(engine) as session:
        conv = session.exec(select(Conversation)).one()
    assert conv.first_inbound_at is not None and conv.first_response_due_at is not None
    assert conv.first_inbound_at.astimezone(UTC) == at(10)
    assert conv.first_response_due_at.astimezone(UTC) == at(11)
    assert conv.last_inbound_at is not None and conv.last_inbound_at.astimezone(UTC) == at(10, 5)
