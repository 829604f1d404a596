"""A long post on X (a Premium "note", up to 25,000 characters): X's ``text`` holds only its first 280
weighted characters; the whole text comes in ``note_tweet.text`` when asked for. The inbox stores, masks
and classifies the whole of what the customer wrote (X sandbox, the real connector and listener)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock
from tests.support.x_channel import x_runtime

STORY = (
    "@AcmeCare I have been a customer for eleven years and this is the first time I write to you. "
    "Last Tuesday I ordered a fridge, paid in full, and was promised delivery on Friday between 8 and 12. "
    "Nobody came, nobody called, and your hotline hangs up after forty minutes of waiting music. "
    "Today I found out the order was cancelled without a word. My order number is 77-4821-A and "
    "I want a full refund today or I am cancelling my account and going to a lawyer."
)


def test_a_long_mention_is_stored_whole(engine: Engine, sandbox: XSandbox, x_env: dict[str, str]) -> None:
    rt, clock = x_runtime(sandbox), Clock()
    sandbox.add_mention(STORY, author="jane", created_at=clock())
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s:
        message = s.exec(select(Message).where(Message.direction == "in")).one()
    assert message.text == STORY
