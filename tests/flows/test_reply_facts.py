"""Whether the X rule lets a public reply through, decided from what the store holds about a listening post:
the tweet's own mentions and quotes (the rules themselves: tests/unit/test_reply_rules.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.replies import facts as reply_facts
from inbox.store.tables import Channel, Conversation, Message

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
HOURS = timedelta(hours=1)


def _listening_post(session: Session, raw: dict[str, object], text: str = "AcmeCare is slow") -> Conversation:
    channel = Channel(name="x-acme", platform="x", account="AcmeCare", account_id="1")
    session.add(channel)
    session.flush()
    conv = Conversation(channel_id=channel.id or 0, thread_key="t1", visibility="public", kind="listening")
    session.add(conv)
    session.flush()
    session.add(
        Message(
            channel_id=channel.id or 0,
            conversation_id=conv.id or 0,
            platform_id="500",
            direction="in",
            visibility="public",
            kind="listening",
            text=text,
            raw=raw,
            created_at=NOW - HOURS,
        )
    )
    session.add(
        Message(
            channel_id=channel.id or 0,
            conversation_id=conv.id or 0,
            platform_id="400",
            direction="out",
            visibility="public",
            kind="mention",
            text="Our new range is out!",
            created_at=NOW - 3 * HOURS,
        )
    )
    session.flush()
    return conv


@pytest.mark.parametrize(
    ("raw", "text", "public"),
    [
        ({"tweet": {"id": "500"}}, "AcmeCare is slow", False),
        ({"tweet": {"id": "500"}}, "@AcmeCare is slow", True),
        ({"tweet": {"entities": {"mentions": [{"username": "acmecare", "id": "1"}]}}}, "is slow", True),
        ({"tweet": {"referenced_tweets": [{"type": "quoted", "id": "400"}]}}, "meh", True),  # quotes our post
        ({"tweet": {"referenced_tweets": [{"type": "quoted", "id": "999"}]}}, "meh", False),  # someone else's
    ],
)
def test_facts_from_the_store(engine: Engine, raw: dict[str, object], text: str, public: bool) -> None:
    with Session(engine) as session, session.begin():
        conv = _listening_post(session, raw, text)
        assert reply_facts.decision(session, conv, NOW).public.allowed is public
