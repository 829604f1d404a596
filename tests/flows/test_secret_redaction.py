"""A platform error that echoes the request's credentials (issue #12.4): the token never reaches the
stream's last_error, the listener's report, its output, its logs or the audit log."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_stream
from inbox.store.engine import open_engine
from inbox.store.records import audit
from inbox.store.tables import AuditEvent, ListeningCursor
from tests.conftest import BRAND_ID, ROOT, X_ENV, x_channel_only
from tests.support.clock import Clock
from tests.support.x_channel import x_runtime

SECRETS = list(X_ENV.values())
ECHO = {
    "title": "Unauthorized",
    "detail": (
        f"Unauthorized. We received Authorization: Bearer {X_ENV['X_BEARER_TOKEN']} and "
        f"oauth_token={X_ENV['X_ACCESS_TOKEN']}; your secret {X_ENV['X_ACCESS_TOKEN_SECRET']} and "
        f"consumer secret {X_ENV['X_CONSUMER_SECRET']} do not match"
    ),
    "type": "about:blank",
    "status": 401,
}


@pytest.fixture
def xsb() -> Iterator[XSandbox]:
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sandbox:
        yield sandbox


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_an_echoed_token_is_redacted_in_last_error_report_and_audit(
    engine: Engine, x_env: dict[str, str], xsb: XSandbox
) -> None:
    xsb.inject_fault("/2/users/", status=401, body=ECHO)
    rt = x_runtime(xsb)
    report = poll_stream(engine, rt, "mentions", clock=Clock(), due=default_due)
    assert report.error is not None and "AuthFailed" in report.error and "[redacted]" in report.error
    assert _leaks(report.error) == [] and _leaks(report.line()) == []
    with Session(engine) as s, s.begin():
        cursor = s.exec(select(ListeningCursor)).one()
        assert cursor.last_error == report.error
        audit(s, "listener", "stream.failed", detail={"error": f"raw: {X_ENV['X_ACCESS_TOKEN_SECRET']}"})
    with Session(engine) as s:
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "stream.failed")).all()
        assert _leaks(str(event.detail)) == [] and "[redacted]" in event.detail["error"]


def test_listen_once_prints_and_logs_no_secret(db_url: str, tmp_path: Path, xsb: XSandbox) -> None:
    xsb.inject_fault("/2/users/", status=401, body=ECHO)
    xsb.inject_fault("/2/dm_events", status=200, body=[ECHO["detail"]])  # a wrong shape, logged with it
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    text = x_channel_only((cfg / "channels.toml").read_text())
    (cfg / "channels.toml").write_text(text.replace("http://127.0.0.1:8701", xsb.url))
    env = {**os.environ, **X_ENV, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(cfg)}
    done = subprocess.run(
        [sys.executable, "-m", "inbox.cli.main", "listen", "--once", "--no-automation"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output  # AuthFailed: a person must act
    assert "x-acme/mentions" in output and "AuthFailed" in output and "[redacted]" in output
    assert _leaks(output) == []
    engine = open_engine(db_url)
    try:
        with Session(engine) as s:
            errors = [c.last_error or "" for c in s.exec(select(ListeningCursor))]
        assert len(errors) >= 2 and _leaks(" ".join(errors)) == []
    finally:
        engine.dispose()
