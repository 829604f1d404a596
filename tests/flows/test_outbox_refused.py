"""Issue #12, point 8: a request that never left (a refused connection) is a safe retry, not an uncertain
reply.

Real parts: requests through ``connectors._http`` against a loopback port bound but not listening (refused),
one listening but never answering (read timeout), the Telegram sandbox dropping a connection after the post,
the Telegram connector, the outbox and the database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors import _http
from connectors.base import Unavailable
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.telegram.connector import TelegramConnector
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, OutboundReply
from tests.support.clock import Clock

NAME = "tg-acme"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port bound by this test but not listening: every connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def test_a_refused_connection_sent_nothing(closed_port: int) -> None:
    with pytest.raises(Unavailable) as err:
        _http.request(_http.mount(), "POST", f"http://127.0.0.1:{closed_port}/x", where="test", json={})
    assert err.value.sent is False and err.value.retryable and "nothing was sent" in str(err.value)


def test_a_read_timeout_may_have_sent(silent_port: int) -> None:
    session = _http.mount(timeout=(5.0, 0.2))
    with pytest.raises(Unavailable) as err:
        _http.request(session, "POST", f"http://127.0.0.1:{silent_port}/x", where="test", json={})
    assert err.value.sent is None and "nothing was sent" not in str(err.value)


def test_a_telegram_send_to_a_closed_port_sent_nothing(closed_port: int) -> None:
    tg = TelegramConnector(NAME, bot_token=DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{closed_port}")
    with pytest.raises(Unavailable) as err:
        tg.send_private("42", "Bonjour", idempotency_key="k1")
    assert err.value.sent is False


def test_a_dropped_connection_after_the_post_may_have_sent() -> None:
    with TelegramSandbox() as sandbox:
        sandbox.add_message("Bonjour ?", first_name="Camille", user_id=42)
        sandbox.inject_fault("/bot", after=True, drop=True)
        tg = TelegramConnector(NAME, bot_token=DEFAULT_TOKEN, base_url=sandbox.url)
        with pytest.raises(Unavailable) as err:
            tg.send_private("42", "Bonjour", idempotency_key="k1")
        assert err.value.sent is None and len(sandbox.sent) == 1


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _runtime(base_url: str, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    cfg = ChannelConfig.model_validate(
        {
            "name": NAME,
            "platform": "telegram",
            "account": "AcmeCareBot",
            "base_url": base_url,
            "credentials": {"bot_token": "TELEGRAM_BOT_TOKEN"},
            "options": {"poll_seconds": 0},
        }
    )
    return Runtime(cfg, build_connector(cfg))


def test_a_reply_during_an_outage_is_retried_then_sent_once(
    engine: Engine, tg: TelegramSandbox, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = _runtime(tg.url, monkeypatch)
    down = _runtime(f"http://127.0.0.1:{closed_port}", monkeypatch)  # Telegram unreachable: refused
    tg.add_message("Bonjour ?", first_name="Camille", user_id=42)
    clock = Clock()
    poll_channel(engine, live, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply_id = outbox.enqueue(
            s, conv, visibility="private", text="Bonjour !", actor="agent", now=clock.now
        ).id
    for _ in range(2):
        outbox.drain(engine, {NAME: down.connector}, clock)
        with Session(engine) as s:
            reply = s.get(OutboundReply, reply_id)
            assert reply is not None
            assert (reply.status, reply.unsure_from, reply.unsure_until) == ("pending", None, None)
            assert "nothing was sent" in (reply.last_error or "")
        clock.now += timedelta(minutes=15)
    outbox.drain(engine, {NAME: live.connector}, clock)
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None and reply.status == "sent" and reply.attempts == 3
        uncertain = s.exec(select(AuditEvent).where(AuditEvent.action == "reply.uncertain")).all()
    assert len(tg.sent) == 1 and uncertain == []
