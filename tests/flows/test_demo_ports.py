"""``make run`` while another demo runs: it starts nothing (its listener would read the other demo's sandboxes
and answer that demo's customers) and says which port is taken."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox.jobs.demo import APP_PORT, busy_ports, demo_ports
from tests.conftest import ROOT
from tests.support.e2e import free_port


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_port_something_listens_on_is_named_and_a_free_one_is_not(taken_port: int) -> None:
    assert busy_ports({taken_port: "the web app", free_port(): "the X sandbox"}) == (
        f"error: port {taken_port} (the web app) is in use: is another demo running?"
    )
    assert busy_ports({free_port(): "the X sandbox"}) is None


def test_the_demo_needs_every_sandbox_the_webhook_receiver_and_the_app() -> None:
    ports = demo_ports()
    assert set(ports) == {8701, 8702, 8703, 8704, 8705, 8706, 8710, APP_PORT}


def test_a_second_demo_starts_nothing_and_names_the_taken_port(tmp_path: Path) -> None:
    database = tmp_path / "inbox.db"
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", APP_PORT))
            sock.listen()
        except OSError:  # a demo already runs on this machine: the port is taken all the same
            pass
        env = {**os.environ, "INBOX_DATABASE_URL": f"sqlite:///{database}", "INBOX_LANGUAGE": "en"}
        demo = subprocess.Popen(
            [sys.executable, "-m", "inbox.cli.main", "demo"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: a demo that did start is stopped whole
        )
        try:
            _out, err = demo.communicate(timeout=120)
        finally:
            if demo.poll() is None:
                os.killpg(demo.pid, signal.SIGKILL)  # never leave sandboxes and an app behind
                demo.wait()
    assert demo.returncode == 1
    assert f"{APP_PORT} (the web app)" in err and "is another demo running?" in err
    assert not database.exists()  # no demo users, no schema: nothing was started
