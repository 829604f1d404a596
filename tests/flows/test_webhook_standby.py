"""Stand-by on a channel that receives webhooks (Messenger through the Meta sandbox): while its listening is
paused the pushed events are stored and held, neither ingested nor failed; once resumed, the receiver's
release round ingests them, each once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.sandbox.meta.server import MetaSandbox
from inbox.desk.accounts import Operator
from inbox.ingest import standby
from inbox.ingest.channels import Runtime
from inbox.ingest.webhooks.app import webhook_app
from inbox.ingest.webhooks.receiver import Receiver
from tests.support.eventually import eventually
from tests.support.webhooks import events, messages, now, serve

ADMIN = Operator(name="ada", role="admin")


@pytest.fixture
def fast_url(receiver: Receiver) -> Iterator[str]:
    """The receiver under uvicorn, releasing held events every 0.2 s."""
    with serve(webhook_app(receiver, release_every=0.2)) as base:
        yield base


def _listening(engine: Engine, rt: Runtime, paused: bool) -> None:
    with Session(engine) as s, s.begin():
        (standby.pause if paused else standby.resume)(s, ADMIN, rt.config, "listening", now())


def test_events_pushed_during_a_stand_by_are_held_then_ingested_once_resumed(
    fast_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], receiver: Receiver
) -> None:
    fb = next(rt for rt in runtimes if rt.name == "fb-acme")
    _listening(engine, fb, paused=True)
    meta.set_webhook(f"{fast_url}/webhooks/fb-acme", platform="facebook")
    mid = meta.add_message("My order never came", name="Bob")
    assert [d["status"] for d in meta.pusher.deliveries] == [200]  # stored: the platform has its answer
    [event] = events(engine)
    assert receiver.process(event.id or 0) == "pending"  # held, not failed
    assert receiver.release_held(grace=timedelta(0)) == 0 and receiver.pending_ids() == []
    assert messages(engine, mid) == [] and events(engine)[0].attempts == 0
    _listening(engine, fb, paused=False)
    [bob] = eventually(lambda: messages(engine, mid), message="the held message to be ingested")
    assert (bob.direction, bob.text) == ("in", "My order never came")
    assert [(e.status, e.attempts) for e in events(engine)] == [("done", 1)]
    assert receiver.release_held(grace=timedelta(0)) == 0  # nothing twice
