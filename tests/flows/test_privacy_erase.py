"""`inbox privacy erase` on a database filled by the real listener from the X sandbox: none of the person's
text or names remain in the database (SQLite: the file's bytes), other customers' data stays, the report's
figures do not change but for their conversations that were waiting, which the erasure resolves; the erasure
is audited without the erased data; a legal hold blocks it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.tables import AuditEvent, Conversation, Message
from tests.support.privacy_flows import BOB, config_on, every_value, fill, inbox

ERASED_WORDS = ("zebracorn", "janedoe77", "janedoe_pro", "Jane Doe", "rue des Lilas")


@pytest.fixture
def config(tmp_path: Path, sandbox: XSandbox, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = config_on(sandbox, tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    return folder


def stored_bytes(engine: Engine, db_url: str) -> str:
    """SQLite: the database files' raw bytes (free pages included); PostgreSQL: every stored value."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return every_value(engine)
    files = [Path(url.database or ""), Path(f"{url.database}-wal")]
    return "\n".join(f.read_bytes().decode("latin-1") for f in files if f.exists())


def past_report(capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, err = inbox(capsys, "report", "--period", "7d", "--format", "json", "--table", "summary")
    assert code == 0, err
    figures = json.loads(out)
    figures.pop("generated_at")
    return figures


def _without(report: dict, kpis: set[str]) -> dict:
    """The report without the summary rows ``kpis``."""
    summary = [row for row in report["tables"]["summary"] if row["kpi"] not in kpis]
    return {**report, "tables": {**report["tables"], "summary": summary}}


def _kpi(report: dict, kpi: str) -> object:
    return next(row["value"] for row in report["tables"]["summary"] if row["kpi"] == kpi)


def test_erasure_leaves_none_of_their_text_and_the_same_past_figures(
    engine: Engine,
    db_url: str,
    config: Path,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    jane = fill(sandbox, engine, db_url, config, x_env)
    inbox(
        capsys, "privacy", "export", "--contact", "x-acme:janedoe77", "--reason", "DSAR 17", "--actor", "dpo"
    )
    before = past_report(capsys)
    assert {"kpi": "conversations", "value": 4, "detail": "first customer message in the period"} in before[
        "tables"
    ]["summary"]  # real figures, not an empty report
    assert all(w in stored_bytes(engine, db_url) for w in ERASED_WORDS)  # the check can fail
    code, _, err = inbox(capsys, "privacy", "erase", "--contact", "x-acme:janedoe_pro", "--reason", "DSAR 17")
    assert code == 2 and "--yes" in err
    code, out, err = inbox(
        capsys,
        "privacy",
        "erase",
        "--contact",
        "x-acme:janedoe_pro",
        "--reason",
        "DSAR 17",
        "--yes",
        "--actor",
        "dpo",
    )
    assert code == 0, err
    assert "2 contacts" in out and "5 messages" in out  # 4 of theirs and our reply quoting the name
    stored = stored_bytes(engine, db_url)
    for word in ERASED_WORDS:
        assert word not in stored, word
    assert "unicornfish" in stored and "bobsmith" in stored  # other customers stay
    after = past_report(capsys)
    closed = {"waiting_now", "fcr_pct", "dmc_mean_min", "resolution_attainment_pct"}  # her conversations
    assert _without(after, closed) == _without(before, closed)
    # her pro and DM conversations are resolved; her thread stays open: Bob wrote in it after our answer
    assert _kpi(before, "waiting_now") == 4 and _kpi(after, "waiting_now") == 2
    with Session(engine) as s:
        thread = s.exec(select(Message).where(Message.text == BOB[1])).one()
        assert (s.get(Conversation, thread.conversation_id) or Conversation()).status == "open"
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.erase")).one()
    assert event.actor == "dpo" and event.detail["reason"] == "DSAR 17" and event.detail["contacts"]
    assert str(jane) in event.detail["contacts"] or jane in event.detail["contacts"]
    code, _, err = inbox(capsys, "privacy", "export", "--contact", "x-acme:janedoe77", "--reason", "again")
    assert code == 2 and "nobody known as 'janedoe77'" in err


def test_a_legal_hold_blocks_erasure_until_released(
    engine: Engine,
    db_url: str,
    config: Path,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill(sandbox, engine, db_url, config, x_env)
    code, _, err = inbox(
        capsys, "privacy", "hold", "--contact", "x-acme:janedoe77", "--reason", "litigation 42"
    )
    assert code == 0, err
    args = ("privacy", "erase", "--contact", "x-acme:janedoe_pro", "--reason", "DSAR", "--yes")
    code, _, err = inbox(capsys, *args)
    assert code == 2 and "under legal hold (litigation 42)" in err and "nothing was erased" in err
    assert "zebracorn" in every_value(engine)
    assert (
        inbox(capsys, "privacy", "release", "--contact", "x-acme:janedoe77", "--reason", "case closed")[0]
        == 0
    )
    assert inbox(capsys, *args)[0] == 0
    assert "zebracorn" not in every_value(engine)
