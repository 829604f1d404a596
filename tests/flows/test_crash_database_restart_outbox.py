"""The database restarts while a sender waits for the platform's answer to a post it made.

Telegram offers no way to look for an earlier post: a reply whose delivery the sender could not record
would be marked *uncertain*, for a person. The sender keeps what the platform answered and records it once
the database is back: sent, once, without a person.

Real parts: a PostgreSQL cluster of the test's own (stopped and started again), the Telegram sandbox, and
requests. Skipped where PostgreSQL is not installed.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, OutboundReply
from tests.support import pgcluster
from tests.support.eventually import eventually
from tests.support.sandbox_channels import telegram_runtime

pytestmark = pytest.mark.skipif(pgcluster.bin_dir() is None, reason="needs a PostgreSQL server")


class Cluster:
    """A throwaway cluster that the test stops and starts again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = pgcluster.start(folder)
        self.opts = (folder / "data" / "postmaster.opts").read_text()

    def _ctl(self, *args: str) -> None:
        bindir = pgcluster.bin_dir()
        assert bindir is not None
        ctl = [str(bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-w", *args]
        subprocess.run(pgcluster._as_server_user(ctl), check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def start(self) -> None:
        port = make_url(self.url).port
        options = f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.folder / "server.log"), "start")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    folder = Path(tempfile.mkdtemp(prefix="inbox-pg-"))  # not under pytest's folder: the server user reads it
    cl = Cluster(folder)
    try:
        yield cl
    finally:
        pgcluster.stop(folder)


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _status(engine: Engine, reply_id: int) -> tuple[str, str | None]:
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None
        return row.status, row.last_error


def test_a_post_made_while_the_database_restarts_is_recorded_once_it_is_back(
    cluster: Cluster, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    engine = open_engine(cluster.url)
    try:
        tg.add_message("Bonjour, ma commande ?", first_name="Camille", user_id=42)
        now = datetime.now(UTC)
        poll_channel(engine, rt, clock=lambda: datetime.now(UTC), due=default_due)
        with Session(engine) as s, s.begin():
            conv = s.exec(select(Conversation)).one()
            reply = outbox.enqueue(
                s, conv, visibility="private", text="Bonjour Camille !", actor="a", now=now
            )
            reply_id = reply.id or 0
        tg.inject_fault(f"/bot{DEFAULT_TOKEN}/sendMessage", after=True, delay=3.0)  # posted, answer late
        connectors = {rt.name: rt.connector}
        sender = threading.Thread(target=outbox.drain, args=(engine, connectors, lambda: datetime.now(UTC)))
        sender.start()
        eventually(lambda: len(tg.sent) == 1, timeout=30, interval=0.05, message="the post")
        cluster.stop()  # the answer arrives while the database is down
        time.sleep(5)
        cluster.start()
        sender.join(timeout=180)
        assert not sender.is_alive()
        later = datetime.now(UTC) + outbox.SEND_LEASE + timedelta(minutes=1)
        outbox.drain(engine, connectors, lambda: later)  # the senders go on after the restart
        assert len(tg.sent) == 1
        assert _status(engine, reply_id) == ("sent", None), "a person should not have to check it"
    finally:
        engine.dispose()
