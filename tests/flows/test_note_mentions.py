"""A colleague mentioned in an internal note ("@bruno", "@Bruno") is told once, with the note as the
notification's text and who wrote it (the name colleagues see); the author, a deactivated user, an e-mail
address and an unknown name are not; the audit event keeps who was mentioned."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.desk import accounts, notes
from inbox.store.tables import AuditEvent, User
from tests.flows.test_notifications import poll
from tests.support.seed_desk import Seeded, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _note(engine: Engine, seeded: Seeded, by: str, text: str, conv: str = "dm") -> None:
    with Session(engine) as s, s.begin():
        author = s.get(User, seeded.users[by])
        assert author is not None
        notes.add_note(s, seeded.conversations[conv], author, text, NOW)


def _display(engine: Engine, seeded: Seeded, name: str, display: str) -> None:
    with Session(engine) as s, s.begin():
        user = s.get(User, seeded.users[name])
        assert user is not None
        user.display_name = display


def test_a_mentioned_colleague_is_told_once_with_the_note(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    _display(engine, seeded, "bruno", "Bruno Lefèvre")
    for user in ("alice", "bruno", "maya"):
        assert poll(engine, user, seeded) == []  # the first poll places the cursor
    _note(engine, seeded, "alice", "@Bruno peux-tu vérifier ce remboursement ? (copie jean@acme.fr)")
    told = poll(engine, "bruno", seeded)
    assert [(n.kind, n.conversation_id, n.by) for n in told] == [
        ("mentioned", seeded.conversations["dm"], "Alice")
    ]
    assert told[0].excerpt.startswith("@Bruno peux-tu vérifier")
    assert poll(engine, "bruno", seeded) == []  # once
    assert poll(engine, "alice", seeded) == [] and poll(engine, "maya", seeded) == []
    _note(engine, seeded, "maya", "@bruno @alice @maya @nobody à voir ensemble")  # her own name: no news
    assert [n.by for n in poll(engine, "bruno", seeded)] == ["Maya"]  # the name colleagues see
    assert [n.by for n in poll(engine, "alice", seeded)] == ["Maya"]
    assert poll(engine, "maya", seeded) == []
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "note.added")).all()
    assert [e.detail.get("mentions") for e in events] == [
        [seeded.users["bruno"]],
        [seeded.users["bruno"], seeded.users["alice"]],
    ]


def test_a_deactivated_colleague_is_not_mentioned(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        accounts.deactivate(s, accounts.OPERATOR, "bruno", NOW)
    with Session(engine) as s:
        assert notes.mentions(s, "@bruno ?", seeded.users["alice"]) == []
        assert notes.mentions(s, "@maya.", seeded.users["alice"]) == [seeded.users["maya"]]


def test_a_first_name_two_colleagues_share_names_nobody(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    _display(engine, seeded, "bruno", "Sam Martin")
    _display(engine, seeded, "maya", "Sam Leroy")
    with Session(engine) as s:
        assert notes.mentions(s, "@Sam ?", seeded.users["alice"]) == []
        assert notes.mentions(s, "@SamLeroy ?", seeded.users["alice"]) == [seeded.users["maya"]]
