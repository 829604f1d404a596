"""A merge of two conversations of one thread (``inbox.ingest.merges``, here a Telegram group's upgrade told
late, through ``ingest_batch`` on the real database) keeps each row once: what only one held moves, what
both held stays once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import default_due
from inbox.ingest.page import ingest_batch
from inbox.store import records as store
from inbox.store.tables import Conversation, Message, User
from inbox.store.tables.desk import Note, Presence, ReplyGuard
from inbox.store.tables.enforcement import EscalationAlert, SurveyRequest

OLD, NEW = -4001234567, -1009876543210
NOW = datetime(2026, 3, 4, 10, tzinfo=UTC)


def said(external_id: str, thread: str, written: datetime) -> InboundItem:
    return InboundItem(
        channel="tg-acme",
        external_id=external_id,
        thread_key=thread,
        kind="mention",
        visibility="public",
        direction="in",
        author=Author("43", "jonas"),
        text=f"@AcmeCareBot {external_id}",
        created_at=written,
    )


def read(engine: Engine, items: list[InboundItem], moves: tuple[tuple[str, str], ...] = ()) -> None:
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "tg-acme", "telegram", "AcmeCareBot")
        batch = Batch(items, next_cursor=None, chat_moves=moves)
        ingest_batch(s, channel, "updates", batch, due=default_due, now=NOW)


def test_rows_both_conversations_hold_are_kept_once(engine: Engine) -> None:
    read(engine, [said(f"{OLD}:1", f"{OLD}/43", NOW - timedelta(minutes=30))])
    read(engine, [said(f"{NEW}:1", f"{NEW}/43", NOW - timedelta(minutes=10))])
    with Session(engine) as s, s.begin():
        agent = User(name="alice", password_hash="x", role="agent")
        s.add(agent)
        s.flush()
        for conv in s.exec(select(Conversation)).all():
            assert conv.id is not None and agent.id is not None
            s.add(Presence(conversation_id=conv.id, user_id=agent.id, seen_at=NOW))
            s.add(EscalationAlert(conversation_id=conv.id, key="breached"))
            s.add(EscalationAlert(conversation_id=conv.id, key=f"at_risk#{conv.id}"))
            s.add(SurveyRequest(conversation_id=conv.id, channel_id=conv.channel_id, kind="csat"))
            s.add(ReplyGuard(conversation_id=conv.id, updated_at=NOW))
            s.add(Note(conversation_id=conv.id, author_id=agent.id, text=f"note {conv.id}", created_at=NOW))
    read(engine, [], moves=((str(OLD), str(NEW)),))
    with Session(engine) as s:
        [conv] = s.exec(select(Conversation)).all()
        assert conv.thread_key == f"{NEW}/43" and conv.sla_due_at == NOW + timedelta(minutes=30)
        assert [len(s.exec(select(t)).all()) for t in (Presence, SurveyRequest, ReplyGuard, Note)] == [
            1,
            1,
            1,
            2,
        ]
        keys = sorted(a.key for a in s.exec(select(EscalationAlert)))
        assert keys == sorted(["breached", f"at_risk#{conv.id}", f"at_risk#{conv.id + 1}"])
        assert [m.conversation_id for m in s.exec(select(Message))] == [conv.id, conv.id]
