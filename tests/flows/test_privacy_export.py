"""`inbox privacy export` on a database filled by the real listener from the X sandbox: one customer with two
linked accounts gets all their messages and nobody else's; the export is audited with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.tables import AuditEvent
from tests.support.privacy_flows import JANE, JANE_DM, JANE_PRO, config_on, fill, inbox


@pytest.fixture
def config(tmp_path: Path, sandbox: XSandbox, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = config_on(sandbox, tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    return folder


def texts(record: dict) -> list[str]:
    return [m["text"] for conv in record["conversations"] for m in conv["messages"]]


def test_export_holds_all_their_messages_across_linked_accounts_and_nobody_elses(
    engine: Engine,
    db_url: str,
    config: Path,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    jane = fill(sandbox, engine, db_url, config, x_env)
    code, out, err = inbox(
        capsys,
        "privacy",
        "export",
        "--contact",
        "x-acme:@JaneDoe77",
        "--reason",
        "DSAR 2026-17",
        "--actor",
        "dpo",
    )
    assert code == 0, err
    record = json.loads(out)
    assert sorted(texts(record)) == sorted(
        [*JANE, *JANE_PRO, JANE_DM, "@janedoe77 Hi Jane Doe, we are on it"]
    )
    assert "unicornfish" not in out  # bob's messages, even the one in jane's thread
    assert sorted(p["handle"] for p in record["profiles"]) == ["janedoe77", "janedoe_pro"]
    assert record["person"]["display_name"]
    every = [m for conv in record["conversations"] for m in conv["messages"]]
    assert all(m["raw"] for m in every if m["direction"] == "in")  # the raw payload is in the record
    assert any(
        n["text"].startswith("zebracorn note") for conv in record["conversations"] for n in conv["notes"]
    )
    assert any(
        e["action"].startswith("person.") or e["target_type"] == "contact" for e in record["audit_events"]
    )
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.export")).one()
    assert (event.actor, event.target_id, event.detail["reason"]) == ("dpo", str(jane), "DSAR 2026-17")
    assert len(event.detail["contacts"]) == 2 and "zebracorn" not in json.dumps(event.detail)


def test_export_needs_a_reason_and_a_known_person(
    engine: Engine, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = inbox(capsys, "privacy", "export", "--contact", "x-acme:nobody")
    assert code == 2 and "Missing option '--reason'" in err  # a usage error, not a traceback
    code, _, err = inbox(capsys, "privacy", "export", "--contact", "x-acme:nobody", "--reason", "  ")
    assert code == 2 and "must say why" in err
    code, _, err = inbox(capsys, "privacy", "export", "--contact", "nowhere:jane", "--reason", "r")
    assert code == 2 and "no channel named 'nowhere'" in err
    with Session(engine) as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.export")).all() == []
