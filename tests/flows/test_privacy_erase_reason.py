"""The erasure's audit event keeps why, not whom: a reason typed with the customer's name or handle ("DSAR
from Jane Doe, @janedoe77") is kept with those redacted, so the audit log does not repeat erased data."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.store.tables import AuditEvent
from tests.support.privacy_flows import every_value, inbox


def test_the_reason_of_an_erasure_names_nobody_erased(
    filled: int, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    why = "DSAR 17 from Jane Doe (@janedoe77)"
    code, _, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", why, "--yes"
    )
    assert code == 0, err
    assert "janedoe77" not in every_value(engine) and "Jane Doe" not in every_value(engine)
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.erase")).one()
    assert event.detail["reason"] == "DSAR 17 from [erased] ([erased])"
