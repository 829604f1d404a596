"""A lease holder comes from Settings (INBOX_WORKER_HOST, INBOX_LEASE_SECONDS) on demand, never at import."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from pydantic import ValidationError

from inbox.ingest.leases import Worker
from inbox.settings import Settings


def test_the_knobs_are_read_when_the_worker_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_WORKER_HOST", "machine-a")
    monkeypatch.setenv("INBOX_LEASE_SECONDS", "45")
    first = Worker.from_settings()
    assert (first.host, first.lease) == ("machine-a", timedelta(seconds=45))
    assert first.owner.startswith(f"machine-a:{os.getpid()}:")
    monkeypatch.setenv("INBOX_WORKER_HOST", "machine-b")
    second = Worker.from_settings()
    assert second.host == "machine-b" and second.owner != first.owner


def test_unset_or_empty_knobs_take_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_WORKER_HOST", "")
    monkeypatch.setenv("INBOX_LEASE_SECONDS", "")
    worker = Worker.from_settings()
    assert (worker.host, worker.lease) == (socket.gethostname(), timedelta(seconds=120))
    monkeypatch.delenv("INBOX_LEASE_SECONDS")
    assert Settings().lease_seconds == 120


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_a_bad_lease_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("INBOX_LEASE_SECONDS", value)
    with pytest.raises(ValidationError, match="lease_seconds"):
        Settings()


def test_only_a_stopped_process_of_this_machine_is_dead() -> None:
    worker = Worker.from_settings(Settings(worker_host="here", lease_seconds=30))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    assert gone.wait() == 0
    assert worker.owner_is_dead(f"here:{gone.pid}:abc123")
    assert not worker.owner_is_dead(f"elsewhere:{gone.pid}:abc123")  # another machine: wait for expiry
    assert not worker.owner_is_dead(f"here:{os.getpid()}:other1")  # alive (another worker of this process)
    assert not worker.owner_is_dead(worker.owner)
    assert not worker.owner_is_dead(None) and not worker.owner_is_dead("here:not-a-pid")
