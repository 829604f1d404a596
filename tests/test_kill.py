"""Kill tests: `inbox listen --once` killed with SIGKILL at any moment loses nothing and doubles nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from connectors.sandbox.x import XSandbox
from sqlmodel import Session, select

from inbox.db import open_engine
from inbox.models import Message
from tests.conftest import BRAND_ID, ROOT, X_ENV


@pytest.fixture
def sandbox() -> Iterator[XSandbox]:
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sb:
        yield sb


def _config_dir(tmp_path: Path, base_url: str) -> Path:
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    text = (cfg / "channels.toml").read_text()
    text = text.replace('base_url = "http://127.0.0.1:8701"', f'base_url = "{base_url}"')
    text = text.replace("monthly_read_budget = 15000", "monthly_read_budget = 15000\npage_size = 5")
    (cfg / "channels.toml").write_text(text)
    return cfg


def _listen_once(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "inbox.cli", "listen", "--once"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_sigkill_mid_run_then_rerun_ends_with_exactly_the_expected_messages(
    tmp_path: Path, sandbox: XSandbox
) -> None:
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    expected = {
        sandbox.add_mention(f"@AcmeCare problem number {i}", author=f"user{i % 7}") for i in range(40)
    }
    expected |= {sandbox.add_dm(f"private message {i}", sender=f"user{i % 5}") for i in range(12)}
    env = {
        **os.environ,
        **X_ENV,
        "INBOX_DATABASE_URL": db_url,
        "INBOX_CONFIG_DIR": str(_config_dir(tmp_path, sandbox.url)),
    }
    open_engine(db_url).dispose()  # migrate once, so every kill lands in the polling
    sandbox.inject_fault("/2/", delay=0.15, count=10_000)  # slow pages: the kill lands mid-run
    kills = 0
    for wait in (0.9, 1.4, 0.7, 2.1, 1.1):
        proc = _listen_once(env)
        time.sleep(wait)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
    assert kills >= 3, "the job finished before it could be killed: the test proves nothing"
    sandbox.inject_fault("/2/", delay=0.0, count=0)
    for _ in range(3):  # reruns (each may finish the sweep it resumes)
        proc = _listen_once(env)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    engine = open_engine(db_url)
    with Session(engine) as s:
        ids = list(s.exec(select(Message.platform_id)).all())
    engine.dispose()
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
