"""The message purge against a customer writing again while it runs: a batch picks the expired messages of a
closed conversation, a listener stores the customer's new message in it (reopening it), then the batch
applies. The conversation they are in keeps its earlier words; only a still-closed one's go (real listener
on the X sandbox; SQLite and PostgreSQL), as the profile purge keeps their profile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox.privacy import retention
from inbox.store.tables import Conversation, Message
from tests.support.privacy_flows import cli_on, listen_once

RETENTION = "[privacy.retention]\nmessages_days = 1\n"


def _texts(engine: Engine, handle: str) -> list[str]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(Message.text).where(Message.author_handle == handle).order_by(col(Message.id))
            ).all()
        )


def test_a_conversation_reopened_during_a_purge_batch_keeps_its_earlier_messages(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch, RETENTION)
    old = datetime.now(UTC) - timedelta(days=3)
    sandbox.add_dm("my order 4411 never came", sender="olgavieille", created_at=old)
    sandbox.add_dm("my invoice is wrong", sender="paulquiet", created_at=old)
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s, s.begin():
        s.execute(update(Conversation).values(status="resolved"))
    kind = retention.kinds_of(retention.Retention(messages_days=1))["messages"][1]
    assert isinstance(kind, retention.Kind)
    cutoff = datetime.now(UTC) - timedelta(days=1)
    with Session(engine) as s:
        picked = list(s.exec(select(Message.id).where(kind.due(cutoff))).all())
    assert len(picked) == 2
    sandbox.add_dm("me again: still no parcel", sender="olgavieille")
    listen_once(db_url, config, x_env, "--no-automation")  # her conversation is open again
    with Session(engine) as s, s.begin():
        assert retention.apply_due(s, kind, cutoff, [i for i in picked if i is not None]) == 1
    assert _texts(engine, "olgavieille") == ["my order 4411 never came", "me again: still no parcel"]
    assert _texts(engine, "paulquiet") == []  # expired: no handle left, its text [expired]
    with Session(engine) as s:
        expired = s.exec(select(Message.text).where(col(Message.id).in_(picked))).all()
    assert sorted(expired) == ["[expired]", "my order 4411 never came"]
