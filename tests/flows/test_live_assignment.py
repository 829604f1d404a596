"""Live assignment ([assignment] automatic): an online agent with room gets the most urgent conversation they
can take (their languages, their channels), through the automation tick; off by default; "Next conversation"
respects channel restrictions; several listeners at once never hand a conversation twice nor overfill."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from inbox.automation.tick import run_automation
from inbox.desk import channel_scope, presence
from inbox.desk.accounts import OPERATOR
from inbox.desk.auth import AuthError
from inbox.desk.claim import next_conversation
from inbox.desk.live_assignment import assign_live
from inbox.store.tables import AuditEvent, Channel, Conversation, User
from tests.support.concurrency import at_once
from tests.support.enforcement import charter
from tests.support.seed_desk import Seeded, add_conversation, add_user, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LIVE = charter(**{"assignment.automatic": True})
KNOWN = ("x-acme", "mastodon-acme")


def _online(engine: Engine, *user_ids: int, capacity: int = 20, languages: list[str] | None = None) -> None:
    with Session(engine) as s, s.begin():
        for uid in user_ids:
            presence.heartbeat(s, uid, NOW)
            user = s.get(User, uid)
            assert user is not None
            user.capacity = capacity
            if languages is not None:
                user.languages = languages


def _assignees(engine: Engine) -> dict[int, int | None]:
    with Session(engine) as s:
        return {c.id or 0: c.assignee_id for c in s.exec(select(Conversation))}


def _mastodon_conversation(engine: Engine, seeded: Seeded) -> int:
    """An English mention on a second channel, due before everything on X."""
    with Session(engine) as s, s.begin():
        channel = Channel(name="mastodon-acme", platform="mastodon", account="acme")
        s.add(channel)
        s.flush()
        assert channel.id is not None
        return add_conversation(
            s,
            channel.id,
            handle="sam",
            text="@acme down?",
            received=NOW - timedelta(hours=2),
            due=NOW - timedelta(hours=1),
        )


def test_off_by_default(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    _online(engine, seeded.users["alice"])
    assert assign_live(engine, charter(), NOW) == 0
    assert set(_assignees(engine).values()) == {None}


def test_an_agent_with_room_gets_the_most_urgent_then_more_as_they_free_capacity(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, c = seeded.users["alice"], seeded.conversations
    _online(engine, alice, capacity=2)
    assert run_automation(engine, LIVE, NOW).assigned == 2  # through the tick
    owners = _assignees(engine)
    assert (owners[c["late"]], owners[c["soon"]], owners[c["dm"]]) == (
        alice,
        alice,
        None,
    )  # due first, then full
    assert assign_live(engine, LIVE, NOW) == 0  # nothing changes while she is full
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, c["late"])
        assert conv is not None
        conv.status = "resolved"  # she frees a place
    assert assign_live(engine, LIVE, NOW + timedelta(seconds=10)) == 1
    assert _assignees(engine)[c["dm"]] == alice
    with Session(engine) as s:
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.auto_assigned")).all()
    assert [(e.actor, e.detail["to"], e.detail["rule"]) for e in audit] == [("automation", alice, "live")] * 3


def test_only_conversations_in_a_language_the_agent_speaks(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    bruno, c = seeded.users["bruno"], seeded.conversations
    _online(engine, bruno, languages=["en"])
    assert assign_live(engine, LIVE, NOW) == 2
    owners = _assignees(engine)
    assert (owners[c["late"]], owners[c["soon"]], owners[c["dm"]]) == (
        bruno,
        bruno,
        None,
    )  # the French DM waits


def test_offline_agents_and_managers_get_nothing(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    _online(engine, seeded.users["maya"])  # a manager
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, seeded.users["alice"], NOW - timedelta(minutes=30))  # signed in long ago
    assert assign_live(engine, LIVE, NOW) == 0


def test_two_agents_share_the_queue_one_each_in_turn(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    _online(engine, alice, bruno)
    assert assign_live(engine, LIVE, NOW) == 3
    owners = _assignees(engine)
    c = seeded.conversations
    assert owners[c["late"]] != owners[c["soon"]] and {owners[c["late"]], owners[c["soon"]]} == {alice, bruno}


def test_a_restricted_agent_works_only_their_channels(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice = seeded.users["alice"]
    elsewhere = _mastodon_conversation(engine, seeded)
    with Session(engine) as s, s.begin():
        assert next_conversation(s, alice, NOW) == elsewhere  # unrestricted: the most urgent anywhere
        channel_scope.set_channels(s, OPERATOR, "alice", ["x-acme"], KNOWN, NOW)
    with Session(engine) as s:
        assert next_conversation(s, alice, NOW) == seeded.conversations["late"]  # the pull mode too
    _online(engine, alice)
    assert assign_live(engine, LIVE, NOW) == 3
    assert _assignees(engine)[elsewhere] is None


def test_channel_restrictions_are_validated_and_audited(engine: Engine) -> None:
    seed(engine, NOW)
    with Session(engine) as s, s.begin():
        with pytest.raises(AuthError, match="tiktok"):
            channel_scope.set_channels(s, OPERATOR, "alice", ["x-acme", "tiktok"], KNOWN, NOW)
    with Session(engine) as s, s.begin():
        channel_scope.set_channels(s, OPERATOR, "alice", ["mastodon-acme", "x-acme"], KNOWN, NOW)
        channel_scope.set_channels(s, OPERATOR, "alice", [], KNOWN, NOW)  # back to every channel
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "user.channels")).all()
        user = s.exec(select(User).where(User.name == "alice")).one()
    assert [e.detail["to"] for e in events] == [["mastodon-acme", "x-acme"], []] and user.channels == []


def test_listeners_assigning_at_once_never_double_assign_nor_overfill(db_url: str, engine: Engine) -> None:
    seeded = seed(engine, NOW)
    agents = [seeded.users["alice"], seeded.users["bruno"]]
    with Session(engine) as s, s.begin():
        agents.append(add_user(s, "chloe"))
        for n in range(30):
            add_conversation(
                s,
                seeded.channel_id,
                handle=f"c{n}",
                text="help",
                received=NOW - timedelta(minutes=n + 1),
                due=NOW + timedelta(minutes=n),
            )
    _online(engine, *agents, capacity=7)
    done = at_once(db_url, 4, lambda own: assign_live(own, LIVE, NOW))
    with Session(engine) as s:
        loads = dict(
            s.exec(
                select(Conversation.assignee_id, func.count())
                .where(col(Conversation.assignee_id).is_not(None))
                .group_by(col(Conversation.assignee_id))
            ).all()
        )
        handed = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.auto_assigned")).all()
    assert sum(done) == 21 == len(handed) == sum(loads.values())  # each handed once: 3 agents × 7
    assert loads == {uid: 7 for uid in agents}
    assert len({e.target_id for e in handed}) == 21
