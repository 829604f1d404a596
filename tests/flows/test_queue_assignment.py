"""Round-robin auto-assignment: language, capacity, least recently assigned first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.desk import assignment, presence
from inbox.desk.assignment import Candidate, pick
from inbox.store.tables import Conversation, User
from tests.support.seed_desk import seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def manager(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    assert user is not None and user.role == "manager"
    return user


def test_pick_prefers_the_least_recently_assigned_speaker_with_room() -> None:
    a = Candidate(1, ("en",), capacity=5, open_count=1, last_assigned_at=NOW)
    b = Candidate(2, ("fr", "en"), capacity=5, open_count=3, last_assigned_at=NOW - timedelta(minutes=5))
    c = Candidate(3, ("fr",), capacity=2, open_count=2, last_assigned_at=None)  # full
    d = Candidate(4, (), capacity=5, open_count=0, last_assigned_at=None)  # speaks anything, never assigned
    assert pick([a, b, c], "en") == b
    assert pick([a, b, c], "fr") == b
    assert pick([a, c], "fr") is None
    assert pick([a, b, c, d], "de") == d
    assert pick([a, b], None) == b


def test_assign_unassigned_round_robins_among_signed_in_agents(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    with Session(engine) as s, s.begin():
        presence.heartbeat(s, alice, NOW)
        presence.heartbeat(s, bruno, NOW)
        user = s.get(User, bruno)
        assert user is not None
        user.languages = ["en"]  # Bruno does not speak French
    with Session(engine) as s, s.begin():
        done = assignment.assign_unassigned(s, manager(s, seeded.users["maya"]), NOW).assigned
    c = seeded.conversations
    assert set(done) == {c["late"], c["soon"], c["dm"]}
    assert done[c["dm"]] == alice  # the French DM goes to the French speaker
    assert done[c["late"]] != done[c["soon"]]  # round-robin
    with Session(engine) as s:
        conv = s.get(Conversation, c["late"])
        assert conv is not None and conv.assignee_id == done[c["late"]]
    with Session(engine) as s, s.begin():
        again = assignment.assign_unassigned(s, manager(s, seeded.users["maya"]), NOW)
        assert again.assigned == {} and again.left == {}  # nothing left


def test_nobody_signed_in_means_nothing_assigned(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        done = assignment.assign_unassigned(s, manager(s, seeded.users["maya"]), NOW)
    assert done.assigned == {} and set(done.left.values()) == {"nobody"}  # the page says why
