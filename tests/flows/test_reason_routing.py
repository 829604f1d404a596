"""Routing by contact reason (issue #18.4): "Next conversation" leaves a conversation to the agents the
charter's ``[reasons.<reason>] agents`` name while one of them is here, and to anyone when none is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.desk.queue import next_conversation
from inbox.store.tables import AgentActivity, Conversation
from inbox.store.tables.enforcement import CharterVersion
from tests.conftest import ROOT
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
