"""Agents' status: on a break, an agent is skipped by live assignment and round-robin (what they hold stays
theirs); signing out makes them offline at once, not "online" for minutes more; coming back makes them
available. Audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.desk import accounts, presence
from inbox.desk.assignment import assign_unassigned
from inbox.desk.live_assignment import assign_live
from inbox.store.tables import AuditEvent, Conversation, User
from tests.support.enforcement import charter
from tests.support.seed_desk import seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LIVE = charter(**{"assignment.automatic": True})


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    assert user is not None
    return user


def _owners(engine: Engine) -> set[int | None]:
    with Session(engine) as s:
        return {c.assignee_id for c in s.exec(select(Conversation).where(Conversation.status == "open"))}


def test_an_agent_on_a_break_is_skipped_by_live_assignment_until_it_ends(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice = seeded.users["alice"]
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, alice, NOW)
        presence.take_break(s, _user(s, alice), True, NOW)
    assert assign_live(engine, LIVE, NOW) == 0
    assert _owners(engine) == {None}
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, alice, NOW + timedelta(minutes=1))  # still on the page: still on a break
        assert presence.status_of(s, alice) == "away"
        assert alice in presence.online_statuses(s, NOW) and alice not in presence.assignable_users(s, NOW)
        presence.take_break(s, _user(s, alice), False, NOW + timedelta(minutes=2))
    assert assign_live(engine, LIVE, NOW + timedelta(minutes=2)) == 3
    assert _owners(engine) == {alice}
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "user.availability")).all()
    assert [(e.actor, e.detail) for e in events] == [
        ("alice", {"from": "available", "to": "away"}),
        ("alice", {"from": "away", "to": "available"}),
    ]


def test_round_robin_skips_an_agent_on_a_break(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    with Session(engine) as s, s.begin():
        for uid in (alice, bruno):
            presence.heartbeat(s, uid, NOW)
        presence.take_break(s, _user(s, bruno), True, NOW)
    with Session(engine) as s, s.begin():
        done = assign_unassigned(s, _user(s, seeded.users["maya"]), NOW)
    assert len(done.assigned) == 3 and _owners(engine) == {alice}


def test_a_signed_out_agent_is_offline_at_once_and_available_when_back(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice = seeded.users["alice"]
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, alice, NOW)
        presence.signed_out(s, alice, NOW)  # what the sidebar's "Sign out" does
        assert alice not in presence.online_statuses(s, NOW)
    assert assign_live(engine, LIVE, NOW) == 0  # before, she stayed "online" five minutes and got work
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, alice, NOW + timedelta(minutes=1))  # signed in again
        assert presence.status_of(s, alice) == "available"
    assert assign_live(engine, LIVE, NOW + timedelta(minutes=1)) == 3


def test_ending_an_accounts_sessions_makes_it_offline(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice = seeded.users["alice"]
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, alice, NOW)
        accounts.sign_out_everywhere(s, accounts.OPERATOR, "alice", NOW)
        assert alice not in presence.online_statuses(s, NOW)
