"""X Account Activity events become the very items polling makes, so a post or DM that arrives both ways is
stored once (through real tweepy against the X sandbox for the v2 lookup of tweets)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from connectors.sandbox.x.shown import shown as x_shows
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.ingest.webhooks.receiver import Receiver
from inbox.store.tables import Conversation, Message
from tests.conftest import BRAND_ID


def now() -> datetime:
    return datetime.now(UTC)


def tweet_event(*tweet_ids: str, for_user: str = BRAND_ID, retweet: str | None = None) -> bytes:
    tweets: list[dict[str, object]] = [{"id_str": t, "text": "(v1.1 body)"} for t in tweet_ids]
    if retweet:
        tweets.append({"id_str": retweet, "retweeted_status": {"id_str": tweet_ids[0]}})
    return json.dumps({"for_user_id": for_user, "tweet_create_events": tweets}).encode()


def dm_event(event_id: str, sender: str, recipient: str, text: str, handle: str) -> bytes:
    """A v1.1 DM event as X pushes it: links as t.co links, with the entities that expand them."""
    shown, urls = x_shows(text, escape=False)
    event = {
        "type": "message_create",
        "id": event_id,
        "created_timestamp": str(int(now().timestamp() * 1000)),
        "message_create": {
            "target": {"recipient_id": recipient},
            "sender_id": sender,
            "message_data": {"text": shown, "entities": {"urls": urls}},
        },
    }
    users = {sender: {"id": sender, "screen_name": handle, "name": handle.title(), "followers_count": 12}}
    return json.dumps({"for_user_id": BRAND_ID, "direct_message_events": [event], "users": users}).encode()


def test_tweet_and_dm_events_give_the_items_polling_gives(sandbox: XSandbox, rt: Runtime) -> None:
    root = sandbox.add_mention("@AcmeCare my router is dead", author="nina")
    reply = sandbox.add_mention("@AcmeCare still dead", author="nina", in_reply_to=root)
    dm = sandbox.add_dm("my account is locked, see https://acme.example/account?id=9", sender="kim")
    polled = {i.external_id: i for s in ("mentions", "dms") for i in rt.connector.fetch(s, None).items}
    kim = sandbox.user_id("kim")
    assert kim is not None
    pushed = [
        *rt.connector.parse_webhook(tweet_event(reply, retweet="999")).items,  # type: ignore[attr-defined]
        *rt.connector.parse_webhook(  # type: ignore[attr-defined]
            dm_event(dm, kim, BRAND_ID, "my account is locked, see https://acme.example/account?id=9", "kim")
        ).items,
    ]
    assert [i.external_id for i in pushed] == [reply, dm]  # the retweet is not a customer message
    for item in pushed:
        same = polled[item.external_id]
        assert (item.thread_key, item.kind, item.visibility, item.direction, item.text) == (
            same.thread_key,
            same.kind,
            same.visibility,
            same.direction,
            same.text,
        )
        assert item.author.handle == same.author.handle
    assert rt.connector.parse_webhook(tweet_event(reply, for_user="42")).items == []  # type: ignore[attr-defined]


def test_a_tweet_pushed_then_polled_is_stored_once_in_its_thread(
    engine: Engine,
    sandbox: XSandbox,
    rt: Runtime,
) -> None:
    root = sandbox.add_mention("@AcmeCare my parcel is late", author="ana")
    receiver = Receiver(engine, [rt], due=default_due, clock=now)
    event_id = receiver.store(rt.name, {}, tweet_event(root))
    assert receiver.process(event_id) == "done"
    reply = sandbox.add_mention("@AcmeCare any news?", author="ana", in_reply_to=root)
    reports = poll_channel(engine, rt, clock=now, due=default_due)
    assert sum(r.duplicates for r in reports) == 1 and sum(r.new for r in reports) == 1
    with Session(engine) as s:
        rows = s.exec(select(Message.platform_id, Message.conversation_id)).all()
        assert len(s.exec(select(Conversation)).all()) == 1
    assert sorted(p for p, _ in rows) == sorted([root, reply]) and len({c for _, c in rows}) == 1
