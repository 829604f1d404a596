"""An agent's correction of a message whose words are gone (erased at the customer's request, expired, or
deleted by the customer) is no training example: ``inbox train --corrections`` taught the models that
"[erased]" has the corrected label (real listener on the X sandbox, SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import default_due
from inbox.desk.corrections import correct, training_examples
from inbox.store.tables import Message, User
from tests.support.privacy_flows import BOB, inbox


def test_corrections_of_erased_messages_teach_nothing(
    filled: int, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with Session(engine) as s, s.begin():
        mia = s.exec(select(User)).one()
        for m in s.exec(select(Message).where(Message.direction == "in")).all():
            correct(s, m.id or 0, "urgency", "critical", mia, datetime.now(UTC), default_due)
    with Session(engine) as s:
        assert len(training_examples(s)) == 6  # the check can fail
    code, _, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "DSAR", "--yes"
    )
    assert code == 0, err
    with Session(engine) as s:
        assert sorted(e.text for e in training_examples(s)) == sorted(BOB)  # bob's stay
