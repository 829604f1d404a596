"""Kill tests: `inbox listen --once` killed with SIGKILL at any moment loses nothing and doubles nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.engine import open_engine
from inbox.store.tables import Message
from tests.conftest import ROOT, X_ENV, x_channel_only
from tests.support.eventually import eventually


def _config_dir(tmp_path: Path, base_url: str) -> Path:
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    text = x_channel_only((cfg / "channels.toml").read_text())
    text = text.replace('base_url = "http://127.0.0.1:8701"', f'base_url = "{base_url}"')
    text = text.replace("monthly_read_budget = 15000", "monthly_read_budget = 15000\npage_size = 5")
    (cfg / "channels.toml").write_text(text)
    return cfg


def _listen_once(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "inbox.cli.main", "listen", "--once", "--no-automation"],  # ingestion only
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def _wait_for_requests(sandbox: XSandbox, count: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the job has made ``count`` more API calls (so the kill lands mid-run, not at start-up)."""
    target = len(sandbox.requests) + count
    eventually(
        lambda: len(sandbox.requests) >= target or proc.poll() is not None,
        timeout=60,
        interval=0.01,
        message=f"the job's next {count} API calls",
    )


def test_sigkill_mid_run_then_rerun_ends_with_exactly_the_expected_messages(
    tmp_path: Path, sandbox: XSandbox
) -> None:
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    expected = {
        sandbox.add_mention(f"@AcmeCare problem number {i}", author=f"user{i % 7}") for i in range(150)
    }
    expected |= {sandbox.add_dm(f"private message {i}", sender=f"user{i % 5}") for i in range(40)}
    env = {
        **os.environ,
        **X_ENV,
        "INBOX_DATABASE_URL": db_url,
        "INBOX_CONFIG_DIR": str(_config_dir(tmp_path, sandbox.url)),
    }
    open_engine(db_url).dispose()  # migrate once, so every kill lands in the polling
    sandbox.inject_fault("/2/", delay=0.15, count=10_000)  # slow pages: the kill lands mid-run
    log = tmp_path / "listen.log"
    kills = 0
    for calls, extra in ((1, 0.05), (3, 0.12), (2, 0.0), (5, 0.08), (4, 0.14)):
        proc = _listen_once(env, log)
        _wait_for_requests(sandbox, calls, proc)
        time.sleep(extra)  # not a wait: the kill lands elsewhere in a page (request, transaction, between)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
    assert kills >= 4, "the job finished before it could be killed: the test proves nothing"
    with Session(open_engine(db_url)) as s:
        partial = len(s.exec(select(Message.platform_id)).all())
    assert 0 < partial < len(expected), "the kills should have interrupted the run part-way"
    sandbox.clear_faults()
    for _ in range(3):  # reruns: each resumes from the committed cursor
        proc = _listen_once(env, log)
        assert proc.wait(timeout=120) == 0, log.read_text()
    engine = open_engine(db_url)
    with Session(engine) as s:
        ids = list(s.exec(select(Message.platform_id)).all())
    engine.dispose()
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
