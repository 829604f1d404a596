"""Shared by the privacy flow tests: a config folder on the X sandbox, `inbox listen --once` run for real,
the `inbox` CLI run in-process, and every stored value of every table (to look for erased text)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from connectors.sandbox.x.server import XSandbox
from inbox.cli.main import main
from tests.conftest import ROOT, x_channel_only


def config_on(sandbox: XSandbox, folder: Path, charter_extra: str = "") -> Path:
    shutil.copytree(ROOT / "config", folder)
    channels = x_channel_only((folder / "channels.toml").read_text())
    (folder / "channels.toml").write_text(channels.replace("http://127.0.0.1:8701", sandbox.url))
    if charter_extra:
        with (folder / "charter.toml").open("a") as f:
            f.write("\n" + charter_extra)
    return folder


def listen_once(db_url: str, config: Path, x_env: dict[str, str], *extra: str) -> str:
    """The real listener, once, in its own process; its stdout."""
    env = {**os.environ, **x_env, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(config)}
    done = subprocess.run(
        [sys.executable, "-m", "inbox.cli.main", "listen", "--once", *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def inbox(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``inbox ARGS`` in this process (INBOX_DATABASE_URL and INBOX_CONFIG_DIR set by the test)."""
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def every_value(engine: Engine) -> str:
    """Every row of every table as text (bytes decoded), to search for what must be gone."""
    parts = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts += [
                    bytes(v).decode("utf-8", "replace") if isinstance(v, bytes | memoryview) else str(v)
                    for v in row
                ]
    return "\n".join(parts)
