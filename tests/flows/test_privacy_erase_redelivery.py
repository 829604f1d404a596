"""After an erasure, a late delivery of the erased messages (Meta retries a webhook, a customer's edit
arrives late, a backfill reads the X history again) stores nothing again: the erased message keeps a digest
of its platform id, which ingestion knows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from connectors.sandbox.x.server import XSandbox
from inbox.privacy.erase import erase
from inbox.store.gone import erased_id
from inbox.store.tables import AuditEvent, Contact, Conversation, Message
from inbox.store.tables.webhook_events import WebhookEvent
from tests.support.privacy_flows import config_on, every_value, fill, inbox
from tests.support.webhooks import now, post, wait_processed

WORDS = "zebracorn: rappelez-moi au sujet de ma commande"


def _signed(receiver_url: str, body: bytes) -> None:
    post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})


PSID = "6912345678901234"  # a page-scoped id as Messenger gives them


def _body(field: str, value: dict[str, object]) -> bytes:
    event = {
        "sender": {"id": PSID},
        "recipient": {"id": "104000000000001"},
        "timestamp": int(now().timestamp() * 1000),
        field: value,
    }
    return json.dumps(
        {"object": "page", "entry": [{"id": "104000000000001", "time": 1, "messaging": [event]}]}
    ).encode()


def messenger_body(mid: str, text: str) -> bytes:
    return _body("message", {"mid": mid, "text": text})


def _edit_body(mid: str, text: str) -> bytes:
    return _body("message_edit", {"mid": mid, "text": text, "num_edit": 1})


def test_a_retried_webhook_and_a_late_edit_of_an_erased_message_store_nothing(
    receiver_url: str, engine: Engine
) -> None:
    body = messenger_body("m_erased", WORDS)
    _signed(receiver_url, body)
    wait_processed(engine, 1)
    erase(engine, f"fb-acme:{PSID}", actor="dpo", reason="DSAR 3", now=now())
    with Session(engine) as session:
        [kept] = session.exec(select(Message)).all()
        open_before = session.exec(select(Conversation).where(Conversation.status == "open")).all()
    assert kept.platform_id == erased_id("m_erased") and "m_erased" not in kept.platform_id

    _signed(receiver_url, body)  # Meta's retry, after the erasure
    _signed(receiver_url, _edit_body("m_erased", WORDS + " (edited)"))
    late = wait_processed(engine, 2)  # the first event named them: the erasure deleted it

    assert "zebracorn" not in every_value(engine)
    with Session(engine) as session:
        assert len(session.exec(select(Message)).all()) == 1
        assert session.exec(select(Contact).where(Contact.platform_id == PSID)).first() is None
        opened = session.exec(select(Conversation).where(Conversation.status == "open")).all()
    assert len(opened) == len(open_before)
    assert [(e.status, bytes(e.body)) for e in late] == [("done", b"{}")] * 2  # none of the words


def test_a_message_written_after_the_erasure_is_stored(receiver_url: str, engine: Engine) -> None:
    """The customer writes again: a new message (and a new contact), as docs/privacy.md says."""
    _signed(receiver_url, messenger_body("m_1", WORDS))
    wait_processed(engine, 1)
    erase(engine, f"fb-acme:{PSID}", actor="dpo", reason="DSAR 3", now=now())
    _signed(receiver_url, messenger_body("m_2", "a new message, written after the erasure"))
    wait_processed(engine, 1)
    with Session(engine) as session:
        assert session.exec(select(Message).where(Message.platform_id == "m_2")).one()
        body = session.exec(select(WebhookEvent.body).order_by(col(WebhookEvent.id).desc())).first()
    assert body is not None and b"written after the erasure" in bytes(body)  # nothing erased: body kept


def test_a_backfill_after_an_erasure_does_not_bring_their_posts_back(
    tmp_path: Path,
    engine: Engine,
    db_url: str,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = config_on(sandbox, tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    for key, value in x_env.items():
        monkeypatch.setenv(key, value)
    fill(sandbox, engine, db_url, config, x_env)
    with Session(engine) as session:
        count = len(session.exec(select(Message)).all())
    erasing = ("privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "r", "--yes")
    code, _, err = inbox(capsys, *erasing)
    assert code == 0, err
    code, out, err = inbox(capsys, "backfill", "--channel", "x-acme", "--since", "7d")
    assert code == 0, err + out
    assert "zebracorn" not in every_value(engine)
    with Session(engine) as session:
        assert len(session.exec(select(Message)).all()) == count


def test_their_open_conversation_is_resolved_by_the_erasure(receiver_url: str, engine: Engine) -> None:
    """Nobody is left to answer: the conversation leaves the queue, its clock stopped (it went on to a
    breach, and the reply box stayed open), audited as a resolution at the erasure."""
    _signed(receiver_url, messenger_body("m_open", WORDS))
    wait_processed(engine, 1)
    with Session(engine) as session:
        [conv] = session.exec(select(Conversation)).all()
    assert conv.status == "open" and conv.sla_due_at is not None
    erase(engine, f"fb-acme:{PSID}", actor="dpo", reason="DSAR 3", now=now())
    with Session(engine) as session:
        conv = session.get(Conversation, conv.id)
        assert conv is not None and (conv.status, conv.sla_due_at) == ("resolved", None)
        [status] = session.exec(select(AuditEvent).where(AuditEvent.action == "conversation.status")).all()
    assert (status.actor, status.target_id, status.detail["to"]) == ("dpo", str(conv.id), "resolved")
