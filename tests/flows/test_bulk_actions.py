"""Bulk actions from the queue on a real database: several conversations, or all a filter matches, each
checked and audited on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.access import PermissionDenied
from inbox.desk import bulk
from inbox.desk.incidents import lifecycle
from inbox.desk.queue import Filters, matching_ids
from inbox.store.tables import AuditEvent, Conversation, User
from tests.support.seed_desk import Seeded, add_conversation, seed

NOW = datetime.now(UTC)


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    out = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        listening = add_conversation(
            s, out.channel_id, handle="fan", text="Acme router is great", received=NOW, due=None
        )
        s.get(Conversation, listening).kind = "listening"  # type: ignore[union-attr]
        out.conversations["listening"] = listening
    return out


def _user(engine: Engine, seeded: Seeded, name: str) -> User:
    with Session(engine, expire_on_commit=False) as s:
        user = s.get(User, seeded.users[name])
        assert user is not None
        return user


def _convs(engine: Engine, ids: list[int]) -> dict[int, Conversation]:
    with Session(engine) as s:
        return {c.id or 0: c for c in s.exec(select(Conversation).where(col(Conversation.id).in_(ids)))}


def _audited(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(
            s.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id)))
        )


def test_assign_tag_and_status_change_each_conversation_and_audit_each(
    engine: Engine, seeded: Seeded
) -> None:
    alice = _user(engine, seeded, "alice")
    ids = [seeded.conversations[k] for k in ("late", "soon", "dm")]
    with Session(engine) as s, s.begin():
        assert bulk.assign(s, ids, seeded.users["bruno"], alice, NOW).done == ids
        assert bulk.add_tags(s, ids, ["#Panne", "lyon"], alice, NOW).done == ids
        assert bulk.set_status(s, ids, "pending", alice, NOW).done == ids
    convs = _convs(engine, ids)
    assert {c.assignee_id for c in convs.values()} == {seeded.users["bruno"]}
    assert {c.status for c in convs.values()} == {"pending"}
    assert convs[seeded.conversations["soon"]].tags == ["panne", "lyon"]
    for action in ("conversation.assigned", "conversation.tags", "conversation.status"):
        assert sorted(int(e.target_id or 0) for e in _audited(engine, action)) == sorted(ids)
    summary = _audited(engine, "bulk.assign")
    assert [(e.actor, e.detail["conversations"]) for e in summary] == [("alice", ids)]


def test_dismiss_closes_the_listening_items_and_refuses_the_customers_conversations(
    engine: Engine, seeded: Seeded
) -> None:
    alice = _user(engine, seeded, "alice")
    listening, late = seeded.conversations["listening"], seeded.conversations["late"]
    with Session(engine) as s, s.begin():
        result = bulk.dismiss(s, [listening, late], alice, NOW)
    assert result.done == [listening] and list(result.refused) == [late]
    convs = _convs(engine, [listening, late])
    assert convs[listening].status == "resolved" and convs[late].status == "open"
    assert [e.target_id for e in _audited(engine, "conversation.dismissed")] == [str(listening)]


def test_all_matching_a_filter_go_to_an_incident_managers_only(engine: Engine, seeded: Seeded) -> None:
    alice, maya = _user(engine, seeded, "alice"), _user(engine, seeded, "maya")
    with Session(engine) as s, s.begin():
        english = matching_ids(s, Filters(language="en"), user_id=None, limit=bulk.MAX_BULK)
        french = matching_ids(s, Filters(language="fr"), user_id=None, limit=bulk.MAX_BULK)
        first = lifecycle.declare(s, maya, title="Parcels", since=NOW - timedelta(hours=2), now=NOW)
        second = lifecycle.declare(s, maya, title="Bills", since=NOW - timedelta(hours=2), now=NOW)
        with pytest.raises(PermissionDenied):
            bulk.add_to_incident(s, english, first.id or 0, alice, NOW)
        assert bulk.add_to_incident(s, english, first.id or 0, maya, NOW).done == english
        again = bulk.add_to_incident(s, [*english, *french], second.id or 0, maya, NOW)
    assert sorted(english) == sorted(seeded.conversations[k] for k in ("late", "soon", "listening"))
    assert french == [seeded.conversations["dm"]]
    assert again.done == french and sorted(again.refused) == sorted(english)
    joined = _audited(engine, "incident.joined")
    assert sorted(int(e.target_id or 0) for e in joined) == sorted([*english, *french])
