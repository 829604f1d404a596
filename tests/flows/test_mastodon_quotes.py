"""A Mastodon customer quotes one of the brand's statuses (quote posts, Mastodon 4.5) without naming the
brand: Mastodon notifies the brand (``quote``), and the inbox reads it as it reads a mention (the Mastodon
sandbox, the real connector and listener)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Conversation, Message
from tests.support.clock import Clock
from tests.support.e2e import post_json


def test_a_quote_of_the_brand_s_status_reaches_the_queue(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    ours = sandbox.add_post("New app version out today!", author="AcmeCare")
    theirs = sandbox.add_post("Some other news", author="bob")
    quote = post_json(
        f"{sandbox.url}/_sandbox/quotes",
        {"text": "and now it crashes at login, thanks a lot", "quote_of": ours, "author": "jane"},
    )["id"]
    sandbox.add_quote("unrelated to the brand", theirs, author="kim")
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    with Session(engine) as s:
        [message] = s.exec(select(Message).where(Message.direction == "in")).all()
        conv = s.get(Conversation, message.conversation_id)
    assert (message.platform_id, message.text) == (quote, "and now it crashes at login, thanks a lot")
    assert conv is not None and (conv.visibility, conv.kind) == ("public", "mention")
