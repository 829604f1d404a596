"""An X post's edit read through webhooks before its first version is one message (the X sandbox through
tweepy's v2 lookup, the webhook receiver, SQLite).

X gives each edit a new id; a post first read already edited keeps its newest id (its timelines never show
the first again). Before: the first version, pushed later (an Account Activity delivery replayed after the
edit's), was stored as a second message, the customer's words twice in the thread.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.webhooks.receiver import Receiver
from inbox.store.tables import Message
from tests.conftest import BRAND_ID


def _now() -> datetime:
    return datetime.now(UTC)


def _pushed(receiver: Receiver, rt: Runtime, tweet_id: str) -> None:
    body = {"for_user_id": BRAND_ID, "tweet_create_events": [{"id_str": tweet_id, "text": "(v1.1 body)"}]}
    assert receiver.process(receiver.store(rt.name, {}, json.dumps(body).encode())) == "done"


def _messages(engine: Engine) -> list[Message]:
    with Session(engine) as s:
        return list(s.exec(select(Message)))


def test_the_first_version_pushed_after_its_edit_joins_the_history(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    written = _now() - timedelta(minutes=3)
    first = sandbox.add_mention("@AcmeCare parcel late", author="jane", created_at=written)
    edit = sandbox.edit_tweet(first, "@AcmeCare parcel 3 days late", at=written + timedelta(minutes=1))
    receiver = Receiver(engine, [rt], due=default_due, clock=_now)
    _pushed(receiver, rt, edit)
    _pushed(receiver, rt, first)  # X replayed the first version's delivery later
    _pushed(receiver, rt, first)  # and again
    [message] = _messages(engine)
    assert (message.platform_id, message.text) == (edit, "@AcmeCare parcel 3 days late")
    assert [(v["id"], v["text"]) for v in message.raw["versions"]] == [(first, "@AcmeCare parcel late")]
