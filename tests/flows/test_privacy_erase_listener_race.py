"""An erasure racing the listener: the customer's message written before the erasure, stored by a page that
was under way when the erasure ran, must not come back with its words in their erased conversation.

Both orders: the erasure commits while the page is paused before it looks its items up (the page must then
refuse the message, audited), or the page has looked its customer up and the erasure asks meanwhile (the
erasure waits for the page, then erases its message too). A message written after the erasure is a new
contact's data, stored as new. Real parts: the X sandbox through tweepy, the real poll in its own thread with
a real page commit, the real erasure; SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox.ingest import poll as poll_module
from inbox.ingest.channels import Runtime
from inbox.privacy.erase import erase
from inbox.store import records
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent, Contact, Conversation, Message
from tests.support.privacy_flows import every_value
from tests.support.x_channel import poll

LATE = "order 4411, call 0612345678"


@pytest.fixture
def listener(db_url: str) -> Iterator[Engine]:
    """The listener's own engine (its own connections, as a listener process has)."""
    own = open_engine(db_url)
    yield own
    own.dispose()


def _paused(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, of: Callable[[Any], Any] = lambda args: args[2]
) -> tuple[threading.Event, threading.Event]:
    """``owner.name`` (``of`` its arguments: a page's items or authors) waits for ``go`` once
    ``reached`` is set, when called for olga's page (the DMs: the mentions page before it is empty)."""
    reached, go = threading.Event(), threading.Event()
    real: Callable[..., Any] = getattr(owner, name)

    def pause(*args: Any, **kwargs: Any) -> Any:
        if not any(getattr(i, "text", LATE) == LATE for i in of(args)):
            return real(*args, **kwargs)
        reached.set()
        assert go.wait(60), "the test never released the page"
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, pause)
    return reached, go


def _first_message(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    sandbox.add_user("olgaracer", name="Olga Racer")
    sandbox.add_dm(
        "my order 4411 is late", sender="olgaracer", created_at=datetime.now(UTC) - timedelta(minutes=5)
    )
    poll(engine, rt)
    sandbox.add_dm(LATE, sender="olgaracer", created_at=datetime.now(UTC) - timedelta(seconds=30))


def _left(engine: Engine) -> None:
    """Nothing of olga's is left readable, and her erased conversation stays closed."""
    everything = every_value(engine)
    assert "0612345678" not in everything
    assert "olgaracer" not in everything and "Olga Racer" not in everything
    with Session(engine) as s:
        convs = s.exec(select(Conversation)).all()
        assert [c.status for c in convs] == ["resolved"]
        assert all(m.text == "[erased]" for m in s.exec(select(Message)).all())


def test_an_erasure_committed_while_a_page_is_under_way_refuses_its_earlier_message(
    engine: Engine, listener: Engine, sandbox: XSandbox, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _first_message(engine, sandbox, rt)
    # the page's transaction has begun (its cursor locked), nothing looked up yet
    reached, go = _paused(monkeypatch, poll_module, "ingest_batch", lambda args: args[3].items)
    reports: list[Any] = []
    listening = threading.Thread(target=lambda: reports.append(poll(listener, rt)))
    listening.start()
    try:
        assert reached.wait(30), "the listener never stored a page"
        erase(engine, "x-acme:olgaracer", actor="dpo", reason="DSAR 18", now=datetime.now(UTC))
    finally:
        go.set()
        listening.join(timeout=60)
    assert not listening.is_alive()
    _left(engine)
    with Session(engine) as s:
        refused = s.exec(select(AuditEvent).where(AuditEvent.action == "privacy.late_message_dropped")).all()
        assert [e.detail for e in refused] == [{"messages": 1, "channel": "x-acme"}]
    sandbox.add_dm("hello again, I am new here", sender="olgaracer")  # written after the erasure: kept
    monkeypatch.undo()
    poll(engine, rt)
    with Session(engine) as s:
        kept = s.exec(select(Message).where(Message.author_handle == "olgaracer")).all()
        assert [m.text for m in kept] == ["hello again, I am new here"]
        contacts = s.exec(select(Contact).order_by(col(Contact.id))).all()
        assert [c.handle for c in contacts] == [None, "olgaracer"]  # a new contact
    erase(engine, "x-acme:olgaracer", actor="dpo", reason="DSAR 19", now=datetime.now(UTC))  # again
    assert "olgaracer" not in every_value(engine)


def test_an_erasure_asked_while_a_page_looks_its_customer_up_erases_the_page_too(
    engine: Engine, listener: Engine, sandbox: XSandbox, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _first_message(engine, sandbox, rt)
    reached, go = _paused(monkeypatch, records, "contacts_for")  # the page's conversations read
    reports: list[Any] = []
    listening = threading.Thread(target=lambda: reports.append(poll(listener, rt)))
    erasing = threading.Thread(
        target=lambda: erase(engine, "x-acme:olgaracer", actor="dpo", reason="DSAR 18", now=datetime.now(UTC))
    )
    listening.start()
    try:
        assert reached.wait(30), "the listener never stored a page"
        erasing.start()
        erasing.join(timeout=2)  # it waits for the page now; before, it committed under the page
    finally:
        go.set()
        listening.join(timeout=60)
        erasing.join(timeout=60)
    assert not listening.is_alive() and not erasing.is_alive()
    _left(engine)
    with Session(engine) as s:
        assert len(s.exec(select(Message)).all()) == 2, reports  # both of hers, erased
