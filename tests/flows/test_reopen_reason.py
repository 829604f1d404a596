"""Re-opening a closed conversation needs a reason (#15.7, seed 001: who went back to a customer's file, and
why): desk.actions.set_status refuses without one, keeps it in the audit event; closing and other changes
need none. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.desk import actions as desk
from inbox.store.tables import AuditEvent, Conversation, User
from tests.support.seed_desk import seed

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def _status_events(engine: Engine, conv_id: int) -> list[dict[str, object]]:
    with Session(engine) as s:
        stmt = select(AuditEvent).where(
            AuditEvent.action == "conversation.status", AuditEvent.target_id == str(conv_id)
        )
        return [e.detail for e in s.exec(stmt.order_by(col(AuditEvent.id)))]


def test_a_closed_conversation_reopens_only_with_a_reason(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    done, late = seeded.conversations["done"], seeded.conversations["late"]
    with Session(engine) as s, s.begin():
        alice = s.get(User, seeded.users["alice"])
        assert alice is not None
        for blank in (None, "", "   "):
            with pytest.raises(desk.ReasonRequired):
                desk.set_status(s, done, "open", alice, NOW, reason=blank)
        with pytest.raises(desk.ReasonRequired):
            desk.set_status(s, done, "pending", alice, NOW)
        desk.set_status(s, late, "resolved", alice, NOW)  # closing needs no reason
        desk.set_status(s, done, "resolved", alice, NOW)  # nor staying closed
    with Session(engine) as s:
        conv = s.get(Conversation, done)
        assert conv is not None and conv.status == "resolved"
    with Session(engine) as s, s.begin():
        alice = s.get(User, seeded.users["alice"])
        assert alice is not None
        desk.set_status(s, done, "open", alice, NOW, reason="  customer called about the same order ")
    assert _status_events(engine, done)[-1] == {
        "from": "resolved",
        "to": "open",
        "reason": "customer called about the same order",
    }
    assert _status_events(engine, late) == [{"from": "open", "to": "resolved"}]
