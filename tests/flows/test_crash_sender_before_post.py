"""A sender killed after it claimed a reply but before it posted it: the reply was never posted.

Telegram offers no way to look for an earlier post, so a reply whose sender died *while posting* is marked
uncertain for a person. One whose sender died before it posted (at its claim, while it looked for an earlier
attempt, a SIGKILL or an out-of-memory kill) is certain: nothing left. It goes again after the claim runs
out, once, without a person. A sender killed while posting still leaves it uncertain.

Real parts: the Telegram sandbox, requests, the database (SQLite and PostgreSQL). The killed sender is what
it leaves behind in the database: its claim (``_claim``), or its claim renewed for the POST (``_renew``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, OutboundReply
from tests.support.sandbox_channels import telegram_runtime


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _queued(engine: Engine, tg: TelegramSandbox, rt: Runtime, now: datetime) -> int:
    tg.add_message("Bonjour, ma commande ?", first_name="Camille", user_id=42)
    poll_channel(engine, rt, clock=lambda: now, due=default_due)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply = outbox.enqueue(s, conv, visibility="private", text="Bonjour Camille !", actor="a", now=now)
        return reply.id or 0


def _reply(engine: Engine, reply_id: int) -> OutboundReply:
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None
        return row


def test_a_reply_whose_sender_died_before_posting_goes_once_without_a_person(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    now = datetime.now(UTC)
    reply_id = _queued(engine, tg, rt, now)
    assert outbox._claim(engine, now, [rt.name]) == reply_id  # then the sender is killed
    later = now + outbox.SEND_LEASE + timedelta(seconds=30)
    outbox.drain(engine, {rt.name: rt.connector}, lambda: later)
    row = _reply(engine, reply_id)
    assert (row.status, row.last_error) == ("sent", None), "never posted: no person has to check it"
    assert [m["text"] for m in tg.sent] == ["Bonjour Camille !"]
    with Session(engine) as s:
        assert not s.exec(select(AuditEvent).where(AuditEvent.action == "reply.uncertain")).all()


def test_a_reply_whose_sender_died_while_posting_is_still_left_to_a_person(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    now = datetime.now(UTC)
    reply_id = _queued(engine, tg, rt, now)
    assert outbox._claim(engine, now, [rt.name]) == reply_id
    assert outbox._renew(engine, reply_id, now + outbox.SEND_LEASE, now) is not None  # then killed
    later = now + outbox.SEND_LEASE + timedelta(seconds=30)
    outbox.drain(engine, {rt.name: rt.connector}, lambda: later)
    row = _reply(engine, reply_id)
    assert row.status == "failed" and (row.last_error or "").startswith("delivery uncertain")
    assert tg.sent == []
