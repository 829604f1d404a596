"""An X Account Activity event whose posts X will not all let us look up still stores the others (real
parts: the X sandbox refusing one lookup, tweepy, the webhook receiver's store and replay, SQLite).

Before, one post X refused to look up (403: a protected author, a withheld post) failed the whole event at
every replay, and after the last one its other posts were never stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.webhooks.receiver import Receiver
from inbox.store.tables import QuarantinedItem
from tests.flows.test_x_webhook_events import tweet_event
from tests.support.webhooks import messages


def test_a_post_x_refuses_to_look_up_is_quarantined_and_the_event_done(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    good = sandbox.add_mention("@AcmeCare my router is dead", author="nina")
    refused = sandbox.add_mention("@AcmeCare from a protected account", author="prot")
    sandbox.inject_fault(f"/2/tweets/{refused}", status=403, count=100)
    receiver = Receiver(engine, [rt], due=default_due, clock=lambda: datetime.now(UTC))
    assert receiver.process(receiver.store(rt.name, {}, tweet_event(good, refused))) == "done"
    assert [m.platform_id for m in messages(engine)] == [good]
    with Session(engine) as s:
        (bad,) = s.exec(select(QuarantinedItem))
    assert (bad.external_id, bad.stream) == (refused, "webhook") and "403" in bad.error


def test_a_lookup_that_fails_for_now_fails_the_event_for_a_replay(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    good = sandbox.add_mention("@AcmeCare my router is dead", author="nina")
    sandbox.inject_fault(f"/2/tweets/{good}", status=503)
    receiver = Receiver(engine, [rt], due=default_due, clock=lambda: datetime.now(UTC))
    assert receiver.process(receiver.store(rt.name, {}, tweet_event(good))) == "failed"
    assert receiver.replay_pending().done == 1
    assert [m.platform_id for m in messages(engine)] == [good]
