"""Retention reaches what quotes an expired conversation: once its messages expire (``messages_days`` after
it closed), our outbox replies in it (a template with the customer's name) and the agents' notes on it lose
their words too; a reply still waiting, and a conversation still open, keep theirs (real listener on the X
sandbox, SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.gone import EXPIRED
from inbox.store.tables import Contact, Conversation, Note, OutboundReply, User
from tests.support.privacy_flows import cli_on, inbox, listen_once

RETENTION = "[privacy.retention]\nmessages_days = 1\n"


def _reply_and_note(s: Session, conv: Conversation, who: str, status: str, author: int) -> None:
    s.add(
        OutboundReply(
            idempotency_key=f"agent-{conv.id}",
            channel_id=conv.channel_id,
            conversation_id=conv.id or 0,
            visibility="public",
            text=f"Bonjour {who}, votre remboursement est parti.",
            status=status,
            template="refund",
        )
    )
    s.add(
        Note(
            conversation_id=conv.id or 0, author_id=author, text=f"{who} a appelé", created_at=conv.created_at
        )
    )


def test_expired_conversations_take_our_replies_and_notes_with_them(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch, RETENTION)
    sandbox.add_user("olga", name="Olga Martin")
    old = datetime.now(UTC) - timedelta(days=3)
    sandbox.add_mention("@AcmeCare my refund please", author="olga", created_at=old)
    sandbox.add_mention("@AcmeCare order today", author="fred")
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        agent = User(name="ana", password_hash="x", role="agent")
        s.add(agent)
        s.flush()
        handles = {c.id: c.handle for c in s.exec(select(Contact))}
        for conv in s.exec(select(Conversation)).all():
            who = "Olga Martin" if handles[conv.contact_id] == "olga" else "Fred Dupont"
            _reply_and_note(s, conv, who, "sent" if who == "Olga Martin" else "pending", agent.id or 0)
        s.execute(
            update(Conversation)
            .where(
                Conversation.contact_id.in_(  # type: ignore[union-attr]
                    [i for i, h in handles.items() if h == "olga"]
                )
            )
            .values(status="resolved")
        )
    code, out, err = inbox(capsys, "privacy", "purge")
    assert code == 0, err
    assert "1 message" in out and "1 note" in out and "1 reply" in out
    with Session(engine) as s:
        words = [r.text for r in s.exec(select(OutboundReply))] + [n.text for n in s.exec(select(Note))]
    assert not any("Olga Martin" in w for w in words)  # neither in our reply nor in the note
    assert "Bonjour Fred Dupont, votre remboursement est parti." in words and "Fred Dupont a appelé" in words
    with Session(engine) as s:
        replies = s.exec(select(OutboundReply).order_by(OutboundReply.id)).all()  # type: ignore[arg-type]
    assert [r.text for r in replies].count(EXPIRED) == 1
    assert all(r.template == "refund" and r.status in ("sent", "pending") for r in replies)  # counted still
