"""A legal hold placed while an erasure runs: the erasure read "no hold" and went on, so the hold was recorded
(audited, the person shown "under legal hold") before an erasure that then destroyed the data it was to keep.
The hold now waits for the erasure under way (or the erasure, asked after, finds it and refuses): the audit
trail never shows a hold set before an erasure that ignored it. Real erasure and hold in their own threads;
SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox.ingest.channels import Runtime
from inbox.privacy import erase as erasure
from inbox.privacy.subject import SubjectError, find_subject, set_hold
from inbox.store.tables import AuditEvent
from tests.support.x_channel import poll


def _hold(engine: Engine, refused: list[str]) -> None:
    """The CLI's ``inbox privacy hold`` (its own connection); ``refused`` gets why it could not."""
    try:
        with Session(engine) as s, s.begin():
            subject = find_subject(s, "x-acme:olgaheld")
            set_hold(s, subject, "litigation 7", actor="legal", now=datetime.now(UTC))
    except SubjectError as exc:  # the erasure came first: nobody left to hold
        refused.append(str(exc))


def test_a_hold_placed_while_an_erasure_runs_is_never_recorded_before_it(
    engine: Engine, sandbox: XSandbox, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.add_dm("my order 4411", sender="olgaheld", created_at=datetime.now(UTC) - timedelta(minutes=1))
    poll(engine, rt)
    checked, go = threading.Event(), threading.Event()
    real = erasure.subject_identifiers

    def paused(*args: Any) -> Any:  # the erasure has read the holds: none
        checked.set()
        assert go.wait(60)
        return real(*args)

    monkeypatch.setattr(erasure, "subject_identifiers", paused)
    erasing = threading.Thread(
        target=lambda: erasure.erase(
            engine, "x-acme:olgaheld", actor="dpo", reason="r", now=datetime.now(UTC)
        )
    )
    refused: list[str] = []
    holding = threading.Thread(target=_hold, args=(engine, refused))
    erasing.start()
    try:
        assert checked.wait(30)
        holding.start()
        holding.join(timeout=2)  # before: the hold committed here, under the erasure
    finally:
        go.set()
        erasing.join(timeout=60)
        if holding.ident is not None:
            holding.join(timeout=60)
    with Session(engine) as s:
        actions = s.exec(
            select(AuditEvent.action)
            .where(col(AuditEvent.action).in_(["privacy.erase", "privacy.hold"]))
            .order_by(col(AuditEvent.id))
        ).all()
    assert actions == ["privacy.erase", "privacy.hold"] or (actions == ["privacy.erase"] and refused)
