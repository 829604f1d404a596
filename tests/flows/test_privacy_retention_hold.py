"""A legal hold keeps a person's data from the retention purge too, not only from erasure: their expired
conversation keeps its messages, payloads, notes and our replies while the hold lasts, and goes at the first
purge after it is lifted (real listener on the X sandbox, SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.tables import Conversation, Message
from tests.support.privacy_flows import cli_on, inbox, listen_once

RETENTION = "[privacy.retention]\nmessages_days = 1\nraw_payloads_days = 1\n"


def test_the_purge_spares_a_person_under_legal_hold(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch, RETENTION)
    old = datetime.now(UTC) - timedelta(days=3)
    sandbox.add_mention("@AcmeCare heldword: the contract dispute", author="olga", created_at=old)
    sandbox.add_mention("@AcmeCare goneword: old question", author="fred", created_at=old)
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        s.execute(update(Conversation).values(status="resolved"))
    args = ("privacy", "hold", "--contact", "x-acme:olga", "--reason", "litigation 42")
    assert inbox(capsys, *args)[0] == 0
    code, out, err = inbox(capsys, "privacy", "purge")
    assert code == 0, err
    assert "removed 1 message" in out
    with Session(engine) as s:
        held = s.exec(select(Message).where(col(Message.text).contains("heldword"))).one()
        assert held.raw and not s.exec(select(Message).where(col(Message.text).contains("goneword"))).all()
    release = ("privacy", "release", "--contact", "x-acme:olga", "--reason", "case closed")
    assert inbox(capsys, *release)[0] == 0
    assert "removed 1 message" in inbox(capsys, "privacy", "purge")[1]
