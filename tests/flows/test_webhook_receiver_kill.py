"""`inbox webhooks` killed with SIGKILL while Meta posts events (some stored and acknowledged but not yet
ingested, some cut before their answer), then started again: every message is stored exactly once, the
events acknowledged before the kill ingested on start (real parts: the receiver process, uvicorn, SQLite or
PostgreSQL)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import requests
from sqlmodel import Session, col, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET, PAGE_TOKEN
from inbox.store.engine import open_engine
from inbox.store.tables import Message
from inbox.store.tables.webhook_events import WebhookEvent
from tests.conftest import ROOT
from tests.support.eventually import eventually
from tests.support.webhooks import now

PAGE = "104000000000001"
COUNT = 80


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _body(i: int) -> bytes:
    event = {
        "sender": {"id": f"70{i % 9}"},
        "recipient": {"id": PAGE},
        "timestamp": int(now().timestamp() * 1000) + i,
        "message": {"mid": f"m_kill_{i}", "text": f"question number {i}"},
    }
    return json.dumps({"object": "page", "entry": [{"id": PAGE, "time": 1, "messaging": [event]}]}).encode()


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "inbox.cli.main", "webhooks", "--port", str(port), "--no-nlp"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )

    def up() -> bool:
        assert proc.poll() is None, log.read_text()[-2000:]
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok
        except requests.RequestException:
            return False

    eventually(up, timeout=120, interval=0.1, message="the receiver to answer /healthz")
    return proc


def _post(port: int, i: int) -> bool:
    """POST event ``i`` as Meta would; whether the receiver acknowledged it (else Meta delivers it again)."""
    body = _body(i)
    try:
        answer = requests.post(
            f"http://127.0.0.1:{port}/webhooks/fb-acme",
            data=body,
            headers={"X-Hub-Signature-256": sign(body, APP_SECRET), "Content-Type": "application/json"},
            timeout=10,
        )
    except requests.RequestException:
        return False
    return answer.status_code == 200


def test_sigkill_between_storing_and_ingesting_loses_and_doubles_nothing(db_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config"
    subprocess.run(["cp", "-r", str(ROOT / "config"), str(config)], check=True)
    text = (config / "channels.toml").read_text().replace("http://127.0.0.1:8705", "http://127.0.0.1:9")
    (config / "channels.toml").write_text(text)
    env = {
        **os.environ,
        "INBOX_DATABASE_URL": db_url,
        "INBOX_CONFIG_DIR": str(config),
        "META_PAGE_TOKEN": PAGE_TOKEN,
        "META_APP_SECRET": APP_SECRET,
        "META_VERIFY_TOKEN": "verify-me",
    }
    port, log = _free_port(), tmp_path / "receiver.log"
    proc = _start(env, port, log)
    acked: set[int] = set()
    for i in range(COUNT // 2):  # as fast as it acknowledges: ingestion lags a few events behind
        if _post(port, i):
            acked.add(i)
    os.kill(proc.pid, signal.SIGKILL)  # events stored and acknowledged, not yet ingested (4 to 11 in trials)
    proc.wait(timeout=30)
    proc = _start(env, port, log)  # the same address, as Meta knows it; the pending events replayed on start
    try:
        for i in range(COUNT):
            if i not in acked:  # Meta delivers again what was not acknowledged
                assert _post(port, i)
        for i in sorted(acked)[:5]:  # and, at least once, what was (its retries overlap)
            assert _post(port, i)
        engine = open_engine(db_url)

        def settled() -> bool:
            with Session(engine) as s:
                left = s.exec(select(WebhookEvent.id).where(col(WebhookEvent.status) != "done")).all()
                return not left and len(s.exec(select(Message.id)).all()) >= COUNT

        eventually(settled, timeout=120, interval=0.2, message="every event ingested")
        with Session(engine) as s:
            mids = list(s.exec(select(Message.platform_id)))
        assert sorted(mids) == sorted(f"m_kill_{i}" for i in range(COUNT))
        engine.dispose()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
