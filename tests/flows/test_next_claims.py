""" "Next conversation" claims what it opens (#16.5): the conversation becomes the agent's, audited, and two
agents pressing it at the same moment never get the same one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.desk.claim import claim_next
from inbox.desk.queue import Filters
from inbox.store.tables import AuditEvent, Conversation, User
from tests.support.seed_desk import add_user, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _claim(engine: Engine, user_id: int, within: Filters | None = None) -> int | None:
    with Session(engine) as s, s.begin():
        user = s.get(User, user_id)
        assert user is not None
        return claim_next(s, user, NOW, within)


def test_next_conversation_assigns_the_most_urgent_to_the_agent_and_audits_it(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    late, soon = seeded.conversations["late"], seeded.conversations["soon"]
    assert _claim(engine, alice) == late
    assert _claim(engine, bruno) == soon  # the late one is Alice's now
    assert _claim(engine, alice) == late  # her own most urgent one again, not a new one taken
    with Session(engine) as s:
        owners = {c.id: c.assignee_id for c in s.exec(select(Conversation))}
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.assigned")).all()
    assert owners[late] == alice and owners[soon] == bruno and owners[seeded.conversations["dm"]] is None
    assert sorted((e.actor, e.target_id, e.detail["rule"]) for e in events) == sorted(
        [("alice", str(late), "next"), ("bruno", str(soon), "next")]
    )


def test_an_agent_with_nothing_of_theirs_and_nothing_free_gets_nothing(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    with Session(engine) as s, s.begin():
        for conv in s.exec(select(Conversation)):
            conv.assignee_id = alice if conv.id == seeded.conversations["late"] else bruno
        carla = add_user(s, "carla")
    assert _claim(engine, alice) == seeded.conversations["late"]  # hers
    assert _claim(engine, carla) is None
    with Session(engine) as s:
        assert not s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.assigned")).all()


def test_agents_pressing_next_together_never_share_a_conversation(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        agents = [add_user(s, f"agent{i}") for i in range(3)]
    start, taken, errors = threading.Barrier(len(agents)), [], []

    def press(user_id: int) -> None:
        start.wait()
        try:
            taken.append(_claim(engine, user_id))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(a,)) for a in agents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [], errors
    claimed = [c for c in taken if c is not None]
    open_ones = {seeded.conversations[k] for k in ("late", "soon", "dm")}
    assert len(claimed) == len(set(claimed)) == 3 and set(claimed) == open_ones


def test_next_conversation_stays_within_the_queues_filters(engine: Engine) -> None:
    """An agent working the French queue gets the next French conversation, not the most urgent anywhere;
    the filters' status and assignee do not matter (the next one is open, and mine or nobody's)."""
    seeded = seed(engine, NOW)
    alice = seeded.users["alice"]
    french = Filters(language="fr", status="resolved", assignee="unassigned")
    assert _claim(engine, alice, french) == seeded.conversations["dm"]
    assert _claim(engine, alice, Filters(language="de")) is None  # nothing there: nothing taken
    assert _claim(engine, alice) == seeded.conversations["late"]  # no filter: the most urgent
