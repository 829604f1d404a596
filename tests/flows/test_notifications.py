"""Agents' notifications: assigned by someone else, their customer wrote again, theirs at risk; told once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.versions import charter_book
from inbox.desk import actions, notifications, preferences
from inbox.desk.preferences import PreferenceError
from inbox.store.tables import Conversation, Message, User
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, within the charter's hours


def poll(engine: Engine, user: str, seeded: Seeded, now: datetime = NOW) -> list[notifications.Notice]:
    with Session(engine) as s, s.begin():
        book = charter_book(s, ROOT / "config")
        return notifications.poll(s, seeded.users[user], user, book, now)


def assign(engine: Engine, seeded: Seeded, conv: str, to: str, by: str) -> None:
    with Session(engine) as s, s.begin():
        actor = s.get(User, seeded.users[by])
        assert actor is not None
        actions.assign(s, seeded.conversations[conv], seeded.users[to], actor, NOW)


def customer_writes(engine: Engine, seeded: Seeded, conv: str, text: str, n: int) -> None:
    with Session(engine) as s, s.begin():
        c = s.get(Conversation, seeded.conversations[conv])
        assert c is not None and c.id is not None
        s.add(
            Message(
                channel_id=c.channel_id,
                conversation_id=c.id,
                platform_id=f"again-{n}",
                direction="in",
                visibility=c.visibility,
                kind=c.kind,
                text=text,
                created_at=NOW,
                ingested_at=NOW,
            )
        )


def unread(engine: Engine, seeded: Seeded, user: str) -> int:
    with Session(engine) as s:
        return notifications.unread_count(s, seeded.users[user])


def test_an_assignment_is_told_once_to_the_assignee_and_not_to_others(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    assert poll(engine, "alice", seeded) == []  # the first poll places the cursor
    assert poll(engine, "bruno", seeded) == []
    assign(engine, seeded, "dm", "alice", by="maya")
    told = poll(engine, "alice", seeded)
    assert [(n.kind, n.conversation_id, n.handle) for n in told] == [
        ("assigned", seeded.conversations["dm"], "kim")
    ]
    assert told[0].excerpt == "Bonjour, mon compte est bloqué" and told[0].channel == "x-acme"
    assert poll(engine, "alice", seeded) == []  # a reload does not repeat it
    assert poll(engine, "bruno", seeded) == []
    assert unread(engine, seeded, "alice") == 1
    with Session(engine) as s, s.begin():
        assert notifications.mark_read(s, seeded.users["alice"], NOW, seeded.conversations["dm"]) == 1
    assert unread(engine, seeded, "alice") == 0


def test_taking_a_conversation_oneself_is_no_news_but_its_risk_is(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        late = s.get(Conversation, seeded.conversations["late"])
        assert late is not None
        late.urgency = "critical"
    poll(engine, "alice", seeded)
    assign(engine, seeded, "late", "alice", by="alice")
    told = poll(engine, "alice", seeded)
    assert [(n.kind, n.conversation_id, n.critical) for n in told] == [
        ("at_risk", seeded.conversations["late"], True)
    ]
    assert poll(engine, "alice", seeded, NOW + timedelta(minutes=5)) == []  # the same clock warns once
    assert told[0].late  # its clock had run out 5 minutes before: the bell says late, not at risk


def test_a_clock_told_at_risk_is_told_again_once_it_runs_late(engine: Engine) -> None:
    seeded = seed(engine, NOW)  # "soon" (VIP: 30 min) is due at NOW + 10 min: at risk from NOW + 2.5 min
    poll(engine, "alice", seeded)
    assign(engine, seeded, "soon", "alice", by="alice")
    assert poll(engine, "alice", seeded) == []
    [risk] = poll(engine, "alice", seeded, NOW + timedelta(minutes=5))
    assert (risk.kind, risk.conversation_id, risk.late) == ("at_risk", seeded.conversations["soon"], False)
    assert poll(engine, "alice", seeded, NOW + timedelta(minutes=6)) == []
    [late] = poll(engine, "alice", seeded, NOW + timedelta(minutes=11))
    assert (late.kind, late.conversation_id, late.late) == ("at_risk", seeded.conversations["soon"], True)
    assert poll(engine, "alice", seeded, NOW + timedelta(minutes=20)) == []  # late is told once too


def test_the_customer_writing_again_is_told_unless_turned_off(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    poll(engine, "alice", seeded)
    assign(engine, seeded, "dm", "alice", by="alice")
    customer_writes(engine, seeded, "dm", "Toujours bloqué !", 1)
    told = poll(engine, "alice", seeded)
    assert [(n.kind, n.excerpt) for n in told] == [("customer_wrote", "Toujours bloqué !")]
    with Session(engine) as s, s.begin():
        preferences.set_notifications(s, seeded.users["alice"], {"customer_wrote": False}, by="alice")
    customer_writes(engine, seeded, "dm", "Allô ?", 2)
    assert poll(engine, "alice", seeded) == []
    with Session(engine) as s:
        settings = notifications.settings_of(s, seeded.users["alice"])
        assert not settings.customer_wrote and settings.assigned and settings.sound


def test_settings_are_ones_own(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin(), pytest.raises(PreferenceError):
        preferences.set_notifications(s, seeded.users["alice"], {"sound": False}, by="bruno")
    with Session(engine) as s, s.begin(), pytest.raises(PreferenceError):
        preferences.set_notifications(s, seeded.users["alice"], {"loud": True}, by="alice")
