"""An agent's correction of a customer's classification (urgency, sentiment, language, contact reason) is data
about them (art. 15: what we inferred and who changed it): ``inbox privacy export`` gives each correction of
their messages with its audit event, and none of another customer's (real listener on the X sandbox)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import default_due
from inbox.desk.corrections import correct
from inbox.store.tables import Message, User
from tests.support.privacy_flows import BOB, JANE, inbox


def _correct_everyone(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        mia = s.exec(select(User)).one()
        for m in s.exec(select(Message).where(Message.direction == "in")).all():
            urgency = "low" if m.urgency == "critical" else "critical"  # a change, whatever it said
            sentiment = "positive" if m.sentiment == "negative" else "negative"
            assert correct(s, m.id or 0, "urgency", urgency, mia, datetime.now(UTC), default_due)
            assert correct(s, m.id or 0, "sentiment", sentiment, mia, datetime.now(UTC), default_due)


def test_export_gives_the_agents_corrections_of_their_classification(
    filled: int, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _correct_everyone(engine)
    code, out, err = inbox(
        capsys, "privacy", "export", "--contact", "x-acme:janedoe77", "--reason", "DSAR", "--actor", "dpo"
    )
    assert code == 0, err
    record = json.loads(out)
    messages = [m for conv in record["conversations"] for m in conv["messages"] if m["direction"] == "in"]
    assert len(messages) == 4  # her two mentions, the DM and her work account's mention
    for m in messages:
        fixed = {(c["field"], c["new"], c["actor"]) for c in m["corrections"]}
        assert fixed == {("urgency", m["urgency"], "mia"), ("sentiment", m["sentiment"], "mia")}
        assert all(c["at"] for c in m["corrections"])
    mine = {m["id"] for m in messages}
    corrected = [e for e in record["audit_events"] if e["action"] == "classification.corrected"]
    assert {int(e["target_id"]) for e in corrected} == mine and len(corrected) == 8
    with Session(engine) as s:
        bobs = s.exec(select(Message.id).where(Message.text.in_(BOB))).all()  # type: ignore[attr-defined]
        janes = s.exec(select(Message.id).where(Message.text.in_(JANE))).all()  # type: ignore[attr-defined]
    assert len(bobs) == 2 and set(janes) <= mine
    assert not mine & set(bobs)  # bob's message in her thread, and its corrections, are his


def test_the_audit_log_filtered_on_a_customer_shows_the_corrections_of_their_messages(
    filled: int, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _correct_everyone(engine)
    code, out, err = inbox(
        capsys, "audit", "--since", "1d", "--action", "classification", "--customer", "x-acme:janedoe77"
    )
    assert code == 0, err
    assert out.count("classification.corrected") == 8  # 4 of her messages, 2 fields; bob's 2 left out
