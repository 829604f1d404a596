"""`inbox audit` filters as the Audit page does (#15.7): by customer (their linked accounts and conversations)
and by conversation, besides period, actor and action; an unknown customer is an error that says so. On SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.store import records
from tests.conftest import ROOT
from tests.support.privacy_flows import inbox
from tests.support.seed_desk import seed


def _rows(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


def test_the_audit_log_by_customer_and_by_conversation(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))
    seeded = seed(engine, datetime.now(UTC))
    late, soon = seeded.conversations["late"], seeded.conversations["soon"]
    at = datetime.now(UTC) - timedelta(hours=1)
    with Session(engine) as s, s.begin():
        records.audit(s, "alice", "conversation.tags", target=("conversation", late), at=at)
        records.audit(s, "bruno", "conversation.status", target=("conversation", soon), at=at)
    code, out, _ = inbox(capsys, "audit", "--since", "1d", "--customer", "x-acme:bob", "--format", "csv")
    assert code == 0 and [(r["actor"], r["target"]) for r in _rows(out)] == [
        ("alice", f"conversation:{late}")
    ]
    code, out, _ = inbox(capsys, "audit", "--since", "1d", "--conversation", str(soon), "--format", "csv")
    assert code == 0 and [r["actor"] for r in _rows(out)] == ["bruno"]
    code, _, err = inbox(capsys, "audit", "--since", "1d", "--customer", "x-acme:nobody")
    assert code == 2 and "nobody known as 'nobody' on x-acme" in err
