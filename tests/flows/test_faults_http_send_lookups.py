"""A reply whose look-up before posting (Mastodon reads the status it answers, or the account it writes to) a
gateway answers with JSON that is no status (``null``, a list, a string under 200): nothing was posted, so the
reply waits and is sent once by a later run, by itself. Real parts: the Mastodon sandbox, requests, SQLite or
PostgreSQL.

Before: the look-up's odd answer was taken for Mastodon's "status has no author": the reply was marked failed
as refused, waiting for a person's Retry, though a later attempt posts it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.support.clock import Clock


@pytest.mark.parametrize("body", [b"null", b"[]", b'"ok"'])
@pytest.mark.parametrize("visibility", ["public", "private"])
def test_a_lookup_answered_with_no_status_leaves_the_reply_to_a_later_run(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime], body: bytes, visibility: str
) -> None:
    sandbox, rt = mastodon_channel
    if visibility == "public":
        sandbox.add_mention("my parcel is lost", author="jane")
    else:
        sandbox.add_dm("my parcel is lost", sender="jane")
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        outbox.enqueue(s, conv, visibility=visibility, text="We are on it", actor="a", now=clock.now)
    lookup = "/api/v1/statuses/" if visibility == "public" else "/api/v1/accounts/"
    json = "application/json"
    sandbox.inject_fault(lookup, status=200, body=body, proxy=True, method="GET", content_type=json)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        reply = s.exec(select(OutboundReply)).one()
    assert reply.status == "pending" and sandbox.sent == [], reply.last_error
    clock.now += timedelta(minutes=15)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        reply = s.exec(select(OutboundReply)).one()
    assert reply.status == "sent" and len(sandbox.sent) == 1, reply.last_error
