"""A conversation resolved while pages arrive out of order: the first response is judged against its first
message's due time, never one worked out for another clock (``ingest_batch`` on the real database,
``inbox.desk.actions.set_status``, the report's first-response outcome).

Default policy (60 minutes, 24/7), 4 March 2026, UTC. Ana writes at 08:00 and 09:20 (read at 09:25); an agent
resolves the conversation at 09:30. Her 08:10 message is read at 09:31: written before the resolution, read
after it, it reopened the conversation with a clock of its own (due 09:10). The brand's 09:05 answer is read
at 09:40. By hand: the first message, 08:00, was due 09:00; answered at 09:05, missed. The inbox kept the
reopened clock's due time (09:10) for the first message's and counted it met.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import default_due
from inbox.desk import actions
from inbox.ingest.page import ingest_batch
from inbox.reports.first_responses import outcome_counts
from inbox.reports.period import Period
from inbox.store import records as store
from inbox.store.tables import Conversation, User

DAY = Period("2026-03-04", date(2026, 3, 4), date(2026, 3, 4), UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 4, hour, minute, tzinfo=UTC)


def said(external_id: str, written: datetime, *, out: bool = False) -> InboundItem:
    return InboundItem(
        channel="tg-acme",
        external_id=external_id,
        thread_key="501",
        kind="dm",
        visibility="private",
        direction="out" if out else "in",
        author=Author("acme-bot", "AcmeCare") if out else Author("501", "ana"),
        text=f"message {external_id}",
        created_at=written,
    )


def read(engine: Engine, now: datetime, *items: InboundItem) -> None:
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "tg-acme", "telegram", "AcmeCare")
        ingest_batch(s, channel, "updates", Batch(list(items), next_cursor=None), due=default_due, now=now)


def test_a_reopened_clocks_due_time_is_not_kept_for_the_first_message(engine: Engine) -> None:
    read(engine, at(9, 25), said("1", at(8)), said("3", at(9, 20)))
    with Session(engine) as s, s.begin():
        agent = User(name="alice", password_hash="x", role="agent")
        s.add(agent)
        s.flush()
        conv_id = s.exec(select(Conversation.id)).one()
        actions.set_status(s, conv_id, "resolved", agent, at(9, 30))
    read(engine, at(9, 31), said("2", at(8, 10)))
    read(engine, at(9, 40), said("answer", at(9, 5), out=True))
    with Session(engine) as s:
        conv = s.get_one(Conversation, conv_id)
        assert (conv.first_response_at, conv.first_response_due_at) == (at(9, 5), at(9))
        assert [c.outcome for c in outcome_counts(s, DAY, None, at(12))] == ["missed"]
