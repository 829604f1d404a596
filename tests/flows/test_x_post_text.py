"""What X does to a customer's text, undone: the inbox stores what the customer wrote (X sandbox, the real
connector and listener).

- A long post (X Premium, up to 25,000 characters): ``text`` holds only its first 280 weighted characters;
  the whole text comes in ``note_tweet.text`` when asked for.
- Links: X shows every link as a t.co link; ``entities.urls`` gives the link the customer typed.
"""

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


def test_a_customer_s_links_are_stored_as_typed_not_as_t_co_links(
    engine: Engine, sandbox: XSandbox, x_env: dict[str, str]
) -> None:
    rt, clock = x_runtime(sandbox), Clock()
    post = "@AcmeCare this page https://acme.example/order?id=42&x=1 says my card was charged & nothing came"
    message = "Here is the receipt: https://shop.example/r/9 (and https://t.co/abcdefghij from my photos)"
    long_one = STORY + " Proof: https://proof.example/p/1"
    sandbox.add_mention(post, author="jane", created_at=clock())
    sandbox.add_mention(long_one, author="kim", created_at=clock())
    sandbox.add_dm(message, sender="bob", created_at=clock())
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s:
        texts = {m.text for m in s.exec(select(Message).where(Message.direction == "in"))}
    assert texts == {post, long_one, message}
