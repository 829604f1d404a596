"""An erasure and the webhook receiver at once: Meta delivers a message the customer wrote before their
erasure while the erasure runs. The receiver waits for the erasure (which deletes the event: it names them)
and stores nothing; neither side fails (on PostgreSQL the receiver held the event's row while waiting for
the erasure, which waited for that row to delete it: a deadlock, one of them aborted). SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from inbox.ingest.webhooks.receiver import Receiver
from inbox.privacy import erase as erasure
from inbox.store.tables import Message
from tests.flows.test_privacy_erase_late_delivery import messenger_at
from tests.support.privacy_flows import every_value
from tests.support.webhooks import post, wait_processed

PSID = "6912345678900088"


def test_a_webhook_processed_while_the_erasure_runs_waits_and_stores_nothing(
    receiver_url: str, receiver: Receiver, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = datetime.now(UTC) - timedelta(minutes=1)
    first = messenger_at("m_a", "my order 4411", written, PSID)
    post(receiver_url, "fb-acme", first, {"X-Hub-Signature-256": sign(first, APP_SECRET)})
    wait_processed(engine, 1)
    late = messenger_at("m_b", "call me on 0612345678", written + timedelta(seconds=20), PSID)
    event_id = receiver.store("fb-acme", {"X-Hub-Signature-256": sign(late, APP_SECRET)}, late)
    checked, go = threading.Event(), threading.Event()
    real = erasure.subject_identifiers

    def paused(*args: Any) -> Any:  # the erasure has begun
        checked.set()
        assert go.wait(60)
        return real(*args)

    monkeypatch.setattr(erasure, "subject_identifiers", paused)
    failures: list[BaseException] = []

    def erase() -> None:
        try:
            erasure.erase(engine, f"fb-acme:{PSID}", actor="dpo", reason="r", now=datetime.now(UTC))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    statuses: list[str] = []
    erasing = threading.Thread(target=erase)
    processing = threading.Thread(target=lambda: statuses.append(receiver.process(event_id)))
    erasing.start()
    try:
        assert checked.wait(30)
        processing.start()
        processing.join(timeout=2)  # it waits for the erasure
    finally:
        go.set()
        erasing.join(timeout=60)
        processing.join(timeout=60)
    assert failures == [] and statuses == ["done"]
    assert "0612345678" not in every_value(engine)
    with Session(engine) as s:
        assert [m.text for m in s.exec(select(Message)).all()] == ["[erased]"]
