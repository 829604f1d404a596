"""After an erasure no other customer's message keeps the platform id of the erased message it answered (its
``reply_to_platform_id``, and X's ``referenced_tweets``, ``in_reply_to_status_id`` and ``conversation_id`` in
its payload): each becomes the erased message's digest (``erased:…``), so the thread still holds together in
the inbox while the id that led to the person's post is gone (real listener on the X sandbox)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.store.gone import erased_id
from inbox.store.tables import ListeningCursor, Message
from tests.support.privacy_flows import BOB, every_value, inbox


def test_others_answers_lose_the_erased_messages_platform_id(
    filled: int, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with Session(engine) as s:
        jane = s.exec(select(Message.platform_id).where(Message.contact_id == filled)).all()
        bob = s.exec(select(Message).where(col(Message.text) == BOB[1])).one()
    assert bob.reply_to_platform_id in jane and bob.reply_to_platform_id in str(bob.raw)
    code, out, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "DSAR", "--yes"
    )
    assert code == 0 and "1 link to their messages" in out, err
    with Session(engine) as s:  # where the listener reads on from (the newest id read): the platform's state
        cursors = [c for c in s.exec(select(ListeningCursor.cursor)).all() if c]
    stored = every_value(engine)
    for cursor in cursors:
        stored = stored.replace(cursor, "")
    for platform_id in jane:
        assert platform_id not in stored, platform_id
    with Session(engine) as s:
        answer = s.exec(select(Message).where(col(Message.text) == BOB[1])).one()
    assert answer.reply_to_platform_id == erased_id(bob.reply_to_platform_id)
    assert answer.reply_to_platform_id in str(answer.raw)  # the payload's references follow the digest
