"""An X post or DM event with an absurd id never holds a stream back (the X sandbox, tweepy, SQLite).

Before: a mention whose id had 5,000 digits made the whole page unreadable (``int`` refuses 4,300 digits and
more) at every poll, holding back every later mention; a DM event whose id had 30 digits became the DM
cursor's ``seen``, so every later DM was taken as already read and never stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.ingest.channels import Runtime
from inbox.store.tables import Message
from tests.conftest import BRAND_ID
from tests.support.clock import Clock
from tests.support.x_channel import poll


def _texts(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(Message.text)))


def test_a_mention_with_a_5000_digit_id_leaves_the_page_and_the_stream_going(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    author = sandbox.add_user("jane")
    sandbox.add_raw_mention({"id": "9" * 5000, "text": "@AcmeCare odd id", "author_id": author})
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    clock = Clock()
    first = poll(engine, rt, clock)["mentions"]
    assert first.error is None and first.new + first.quarantined == 2
    sandbox.add_mention("@AcmeCare still waiting", author="jane")
    assert poll(engine, rt, clock)["mentions"].error is None
    assert {"@AcmeCare my parcel is lost", "@AcmeCare still waiting"} <= set(_texts(engine))


def test_a_dm_event_with_a_30_digit_id_does_not_hide_the_later_dms(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_dm("my account is locked", sender="kim")
    clock = Clock()
    poll(engine, rt, clock)
    kim = sandbox.user_id("kim")
    assert kim is not None
    low, high = sorted((kim, BRAND_ID), key=int)
    poison = {
        "id": "9" * 30,
        "event_type": "MessageCreate",
        "text": "an event with an odd id",
        "sender_id": kim,
        "dm_conversation_id": f"{low}-{high}",
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    sandbox.inject_fault("/2/dm_events", status=200, body={"data": [poison], "meta": {"result_count": 1}})
    assert poll(engine, rt, clock)["dms"].error is None
    sandbox.add_dm("still locked, please help", sender="kim")
    assert poll(engine, rt, clock)["dms"].new == 1
    assert "still locked, please help" in _texts(engine)
