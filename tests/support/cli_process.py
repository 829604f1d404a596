"""The real ``inbox`` command in its own process, as an operator or cron runs it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def run_inbox(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``inbox ARGS`` with this process's environment plus ``env``; its exit status, stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-m", "inbox.cli.main", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
