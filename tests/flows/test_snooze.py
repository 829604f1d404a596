"""Snoozing a conversation: pending until a time, then opened again by the automation tick (once, audited as
automation), or at once when its customer writes; a status set by hand ends it; the time must be in the
future, within 90 days, and a resolved conversation is not snoozed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.automation.tick import run_automation
from inbox.desk import actions, snooze
from inbox.desk.actions import DeskError
from inbox.ingest.threads import on_inbound
from inbox.store.tables import AuditEvent, Conversation, User
from tests.support.enforcement import charter
from tests.support.seed_desk import Seeded, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _snooze(engine: Engine, seeded: Seeded, conv: str, until: datetime, by: str = "alice") -> None:
    with Session(engine) as s, s.begin():
        user = s.get(User, seeded.users[by])
        assert user is not None
        snooze.snooze(s, seeded.conversations[conv], user, until, NOW)


def _conv(engine: Engine, seeded: Seeded, conv: str) -> Conversation:
    with Session(engine) as s:
        found = s.get(Conversation, seeded.conversations[conv])
        assert found is not None
        return found


def _actions(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_snoozed_conversation_comes_back_at_its_time_once(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    back = NOW + timedelta(hours=3)
    _snooze(engine, seeded, "dm", back)
    conv = _conv(engine, seeded, "dm")
    assert (conv.status, conv.snoozed_until) == ("pending", back)
    assert run_automation(engine, charter(), back - timedelta(minutes=1)).woken == 0
    assert _conv(engine, seeded, "dm").status == "pending"
    assert run_automation(engine, charter(), back).woken == 1
    conv = _conv(engine, seeded, "dm")
    assert (conv.status, conv.snoozed_until) == ("open", None)
    assert run_automation(engine, charter(), back + timedelta(minutes=1)).woken == 0  # once
    (snoozed,) = _actions(engine, "conversation.snoozed")
    assert snoozed.actor == "alice" and snoozed.detail == {"from": "open", "until": back.isoformat()}
    (woken,) = _actions(engine, "conversation.woken")
    assert woken.actor == "automation" and woken.target_id == str(seeded.conversations["dm"])


def test_the_customer_writing_ends_the_snooze(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    _snooze(engine, seeded, "dm", NOW + timedelta(days=1))
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, seeded.conversations["dm"])
        assert conv is not None
        on_inbound(conv, NOW + timedelta(minutes=5), lambda c, at, is_next: at + timedelta(hours=1))
    conv = _conv(engine, seeded, "dm")
    assert (conv.status, conv.snoozed_until) == ("open", None)


def test_a_status_set_by_hand_ends_the_snooze(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    _snooze(engine, seeded, "dm", NOW + timedelta(days=1))
    with Session(engine) as s, s.begin():
        user = s.get(User, seeded.users["alice"])
        assert user is not None
        actions.set_status(s, seeded.conversations["dm"], "open", user, NOW)
    assert _conv(engine, seeded, "dm").snoozed_until is None
    assert run_automation(engine, charter(), NOW + timedelta(days=2)).woken == 0


@pytest.mark.parametrize(
    ("conv", "until", "said"),
    [
        ("dm", NOW - timedelta(minutes=1), "choose a time in the future"),
        ("dm", NOW + timedelta(days=91), "at most 90 days"),
        ("done", NOW + timedelta(hours=1), "reopen it first"),
    ],
)
def test_a_snooze_is_refused_with_its_reason(engine: Engine, conv: str, until: datetime, said: str) -> None:
    seeded = seed(engine, NOW)
    with pytest.raises(DeskError, match=said):
        _snooze(engine, seeded, conv, until)
    assert _actions(engine, "conversation.snoozed") == []
