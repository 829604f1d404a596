"""Routing by contact reason (issue #18.4): "Next conversation" and live assignment leave a conversation to
the agents the charter's ``[reasons.<reason>] agents`` name while one of them is here, else to anyone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.desk import presence
from inbox.desk.claim import next_conversation
from inbox.desk.live_assignment import assign_live
from inbox.store.tables import AgentActivity, Conversation, User
from inbox.store.tables.enforcement import CharterVersion
from tests.conftest import ROOT
from tests.support.enforcement import charter
from tests.support.seed_desk import seed

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday


def _routing_charter(session: Session, agent: str) -> None:
    text = (ROOT / "config" / "charter.toml").read_text(encoding="utf-8")
    routed = text.replace(
        '# [reasons.billing_payment]\n# agents = ["maya"]', f'[reasons.billing_payment]\nagents = ["{agent}"]'
    )
    assert routed != text
    session.add(CharterVersion(saved_at=NOW - timedelta(days=1), saved_by="maya", toml=routed))


def test_next_conversation_routes_a_reason_to_its_agents_while_one_is_here(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    with Session(engine) as s, s.begin():
        _routing_charter(s, "bruno")
        s.get(Conversation, seeded.conversations["late"]).reason = "billing_payment"  # type: ignore[union-attr]
        for user_id in (alice, bruno):
            s.merge(AgentActivity(user_id=user_id, seen_at=NOW))
    with Session(engine) as s:
        assert next_conversation(s, bruno, NOW) == seeded.conversations["late"]  # the most urgent: his
        assert next_conversation(s, alice, NOW) == seeded.conversations["soon"]  # left to bruno
    with Session(engine) as s, s.begin():
        s.get(AgentActivity, bruno).seen_at = NOW - timedelta(hours=3)  # type: ignore[union-attr]
    with Session(engine) as s:
        assert next_conversation(s, alice, NOW) == seeded.conversations["late"]  # bruno is away: anyone


def test_live_assignment_follows_the_same_routing(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    alice, bruno = seeded.users["alice"], seeded.users["bruno"]
    with Session(engine) as s, s.begin():
        s.get(Conversation, seeded.conversations["late"]).reason = "billing_payment"  # type: ignore[union-attr]
        for user_id in (alice, bruno):
            presence.heartbeat(s, user_id, NOW)
            s.get(User, user_id).capacity = 1  # type: ignore[union-attr]
    live = charter(**{"assignment.automatic": True, "reasons.billing_payment": {"agents": ["bruno"]}})
    assert assign_live(engine, live, NOW) == 2
    with Session(engine) as s:
        assignees = {k: s.get(Conversation, v).assignee_id for k, v in seeded.conversations.items()}  # type: ignore[union-attr]
    # alice's turn comes first (neither was handed one before; the lower id): the most urgent is left to bruno
    assert (assignees["late"], assignees["soon"], assignees["dm"]) == (bruno, alice, None)
