"""An export running while the listener stores a new message of the person: the export is one point in time.
A page under way finishes first (its message is in the export); a page that comes while the export reads
waits for it (its message is in the next export). Before, the page committed between the export's reads:
the export showed the conversation as the new message had left it (last message time, status) without that
message. Real parts: the X sandbox through tweepy, the real poll in its own thread with its own engine;
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.sandbox.x.server import XSandbox
from inbox.ingest.channels import Runtime
from inbox.privacy import record
from inbox.privacy.requests import export_record
from inbox.privacy.subject import find_subject
from inbox.store.engine import open_engine
from tests.support.x_channel import poll

NEW = "zebracorn: still nothing, call me on 0612345678"


def _export(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session, session.begin():
        subject = find_subject(session, "x-acme:olgaracer")
        return export_record(session, subject, actor="dpo", reason="DSAR", now=datetime.now(UTC), via="cli")


def _consistent(data: dict[str, Any]) -> list[str]:
    """Her DM conversation's texts, checked against its own fields."""
    [conv] = data["conversations"]
    assert conv["last_message_at"] == max(m["created_at"] for m in conv["messages"]), conv
    return [m["text"] for m in conv["messages"]]


def test_a_message_stored_while_an_export_reads_is_in_the_next_export_whole(
    engine: Engine, db_url: str, sandbox: XSandbox, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.add_user("olgaracer", name="Olga Racer")
    sandbox.add_dm(
        "my order 4411 is late", sender="olgaracer", created_at=datetime.now(UTC) - timedelta(minutes=5)
    )
    poll(engine, rt)
    sandbox.add_dm(NEW, sender="olgaracer", created_at=datetime.now(UTC) - timedelta(seconds=30))
    reached, go = threading.Event(), threading.Event()
    real = record.their_messages

    def paused(*args: Any) -> Any:  # the export has read her messages, not yet her conversations
        rows = real(*args)
        reached.set()
        assert go.wait(60), "the test never released the export"
        return rows

    monkeypatch.setattr(record, "their_messages", paused)
    exported: list[dict[str, Any]] = []
    exporting = threading.Thread(target=lambda: exported.append(_export(engine)))
    listener = open_engine(db_url)  # the listener's own connections, as a listener process has
    listening = threading.Thread(target=lambda: poll(listener, rt))
    exporting.start()
    try:
        assert reached.wait(30), "the export never read her messages"
        listening.start()
        listening.join(timeout=3)  # it waits for the export now; before, it stored under it
    finally:
        go.set()
        exporting.join(timeout=60)
        if listening.ident is not None:
            listening.join(timeout=60)
        listener.dispose()
    assert not exporting.is_alive() and not listening.is_alive()
    assert _consistent(exported[0]) == ["my order 4411 is late"]
    monkeypatch.undo()
    assert _consistent(_export(engine)) == ["my order 4411 is late", NEW]
