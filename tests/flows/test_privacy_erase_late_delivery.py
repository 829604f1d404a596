"""A message the customer wrote before their erasure, never stored until after it: Meta delivers its webhook
late, or a backfill reads it from X's history. It is theirs, erased with the rest: never stored, its webhook
body not kept, the drop audited; a message written after the erasure is stored as a new contact's. The same
rule as for a page under way (``test_privacy_erase_listener_race``), through the receiver and the backfill."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from connectors.sandbox.x.server import XSandbox
from inbox.privacy.erase import erase
from inbox.store.tables import AuditEvent, Message
from tests.support.privacy_flows import config_on, every_value, fill, inbox
from tests.support.webhooks import post, wait_processed

PSID = "6912345678900077"


def messenger_at(mid: str, text: str, written: datetime, psid: str = PSID) -> bytes:
    """A Messenger webhook body: ``psid`` wrote ``text`` at ``written``."""
    event = {
        "sender": {"id": psid},
        "recipient": {"id": "104000000000001"},
        "timestamp": int(written.timestamp() * 1000),
        "message": {"mid": mid, "text": text},
    }
    body = json.dumps(
        {"object": "page", "entry": [{"id": "104000000000001", "time": 1, "messaging": [event]}]}
    )
    return body.encode()


def _send(receiver_url: str, body: bytes) -> None:
    post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})


def _dropped(engine: Engine) -> list[object]:
    with Session(engine) as s:
        stmt = select(AuditEvent.detail).where(AuditEvent.action == "privacy.late_message_dropped")
        return list(s.exec(stmt).all())


def test_a_webhook_of_a_message_written_before_the_erasure_stores_nothing(
    receiver_url: str, engine: Engine
) -> None:
    written = datetime.now(UTC) - timedelta(minutes=2)
    _send(receiver_url, messenger_at("m_first", "my order 4411", written))
    wait_processed(engine, 1)
    erase(engine, f"fb-acme:{PSID}", actor="dpo", reason="DSAR 19", now=datetime.now(UTC))
    _send(receiver_url, messenger_at("m_late", "call me on 0612345678", written + timedelta(seconds=30)))
    [late] = wait_processed(engine, 1)  # the first event named them: the erasure deleted it
    assert "0612345678" not in every_value(engine)
    assert (late.status, bytes(late.body)) == ("done", b"{}")
    assert _dropped(engine) == [{"messages": 1, "channel": "fb-acme"}]
    _send(receiver_url, messenger_at("m_new", "hello, new here", datetime.now(UTC)))
    wait_processed(engine, 2)
    with Session(engine) as s:
        assert s.exec(select(Message.text).where(Message.platform_id == "m_new")).all() == ["hello, new here"]


def test_a_backfill_after_the_erasure_does_not_store_what_they_wrote_before_it(
    tmp_path: Path,
    engine: Engine,
    db_url: str,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = config_on(sandbox, tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    fill(sandbox, engine, db_url, config, x_env)
    unread = datetime.now(UTC) - timedelta(minutes=1)  # written before the erasure, never polled
    sandbox.add_mention("@AcmeCare zebracorn late: call 0612345678", author="janedoe77", created_at=unread)
    code, _, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "r", "--yes"
    )
    assert code == 0, err
    code, out, err = inbox(capsys, "backfill", "--channel", "x-acme", "--since", "7d")
    assert code == 0, err + out
    assert "0612345678" not in every_value(engine)
    assert _dropped(engine) == [{"messages": 1, "channel": "x-acme"}]
