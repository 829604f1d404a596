"""Retention on a database filled by the real listener from the X sandbox: `inbox privacy purge --dry-run`
says what would go and changes nothing; the listener's tick purges once a day; a second purge removes nothing;
`inbox audit` lists the runs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.tables import Conversation, Message, QuarantinedItem
from tests.support.privacy_flows import cli_on, inbox, listen_once

RETENTION = """[privacy.retention]
messages_days = 1
quarantine_days = 1
audit_days = 30
"""


def test_purge_with_one_day_retention_removes_old_data_only(
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
    sandbox.add_mention("@AcmeCare oldtimer: my order from last week", author="olga", created_at=old)
    sandbox.add_mention("@AcmeCare oldtimer: any news?", author="olga", created_at=old + timedelta(minutes=5))
    sandbox.add_mention("@AcmeCare freshling: order today", author="fred")
    sandbox.add_raw_mention({"author_id": 5, "text": "@AcmeCare broken"})  # quarantined, but today
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        s.execute(update(Conversation).values(status="resolved"))  # closed: the clock of retention runs
        s.execute(update(QuarantinedItem).values(created_at=old))

    code, out, err = inbox(capsys, "privacy", "purge", "--dry-run")
    assert code == 0, err
    assert "purge: would remove 2 messages" in out and "1 quarantined" in out
    with Session(engine) as s:
        assert len(s.exec(select(Message).where(col(Message.text).contains("oldtimer"))).all()) == 2

    ticked = listen_once(db_url, config, x_env)  # the automation tick: first purge of the day
    assert "purge: removed 2 messages" in ticked and "1 quarantined" in ticked
    with Session(engine) as s:
        messages = s.exec(select(Message)).all()
        assert not s.exec(select(QuarantinedItem)).all()
    texts = [m.text for m in messages]
    assert "@AcmeCare freshling: order today" in texts and not any("oldtimer" in t for t in texts)
    assert [m.raw for m in messages if m.text == "[expired]"] == [{}, {}]
    assert len(messages) == 3 and all(m.created_at for m in messages)  # the rows the reports count stay

    assert "purge:" not in listen_once(db_url, config, x_env)  # once a day
    code, out, _ = inbox(capsys, "privacy", "purge", "--actor", "cron")
    assert "purge: removed 0 messages" in out  # safe to run again

    code, out, err = inbox(capsys, "audit", "--since", "1d", "--action", "privacy.purge", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["actor"] for r in rows] == ["automation", "cron"]
    assert '"messages": 2' in rows[0]["detail"]
    code, out, _ = inbox(capsys, "audit", "--since", "1d", "--actor", "cron")
    assert out.count("privacy.purge") == 1 and "automation" not in out
    code, _, err = inbox(capsys, "audit", "--since", "yesterday")
    assert code == 2 and "--since must be" in err
