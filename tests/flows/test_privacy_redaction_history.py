"""Redacting part of a message by hand reaches what the agent sees of it: the earlier version of an edited
message (a password the customer typed, then edited away) can be redacted, and a quarantined copy of the
channel's payloads that holds the same part is redacted too (real listener on the X sandbox, SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.desk import redaction
from inbox.store.tables import Message, User
from tests.support.privacy_flows import config_on, every_value, listen_once

SECRET = "hunter2-Lilas"


def test_a_part_in_an_earlier_version_and_in_quarantine_is_redacted(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = config_on(sandbox, tmp_path / "config")
    sandbox.add_user("janedoe77", name="Jane Doe")
    at = datetime.now(UTC) - timedelta(minutes=5)
    first = sandbox.add_mention(f"@AcmeCare my password is {SECRET}", author="janedoe77", created_at=at)
    sandbox.add_raw_mention({"author_id": 5, "text": {"copy": f"my password is {SECRET}"}})  # quarantined
    listen_once(db_url, config, x_env, "--no-automation")
    sandbox.edit_tweet(first, "@AcmeCare oops, ignore that", at=at + timedelta(seconds=30))
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        agent = User(name="ana", password_hash="x", role="agent")
        s.add(agent)
        s.flush()
        message = s.exec(select(Message).where(Message.author_handle == "janedoe77")).one()
        assert SECRET not in message.text and SECRET in str(message.raw)  # only in its history
        redaction.redact(s, message.id or 0, SECRET, agent, datetime.now(UTC))
    assert SECRET not in every_value(engine)
