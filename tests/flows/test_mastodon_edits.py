"""A Mastodon customer edits a status the inbox holds: the status keeps its id, and Mastodon notifies only
those who boosted it, so the listener's sweep (``inbox.ingest.recheck``) reads the recent customer statuses
again. The message takes the newest words (classified again), keeps the old ones, and nothing is doubled:
no second message, no new clock (the Mastodon sandbox, the real connector, listener and outbox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.ingest.recheck import sweep
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message
from tests.conftest import ROOT
from tests.support.clock import Clock
from tests.support.e2e import post_json


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def _inbound(engine: Engine) -> list[Message]:
    with Session(engine) as s:
        return list(s.exec(select(Message).where(Message.direction == "in")))


def _conversation(engine: Engine) -> Conversation:
    with Session(engine) as s:
        return s.exec(select(Conversation)).one()


def test_an_edited_status_updates_the_message_at_the_next_sweep_and_starts_no_new_clock(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime], classifier: Any
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    clock = Clock(now)
    sandbox, rt = mastodon_channel
    status = sandbox.add_mention("@AcmeCare my order 4821 is late", author="jane", created_at=now)
    poll_channel(engine, rt, clock=clock, due=default_due, classifier=classifier)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        outbox.enqueue(s, conv, visibility="public", text="@jane On it!", actor="agent", now=clock())
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    answered = _conversation(engine)
    assert sweep(engine, rt, clock(), classifier).edited == 0  # nothing edited yet

    clock.now += timedelta(minutes=5)
    edited_at = clock().isoformat()
    post_json(  # the control API, as the demo's
        f"{sandbox.url}/_sandbox/edits",
        {
            "id": status,
            "text": "@AcmeCare my order 4821 is late and my account was hacked",
            "edited_at": edited_at,
        },
    )
    report = next(r for r in poll_channel(engine, rt, clock=clock, due=default_due) if r.stream == "mentions")
    assert report.new == 0  # the notification does not come again
    assert sweep(engine, rt, clock(), classifier).edited == 1
    [message] = _inbound(engine)
    assert message.platform_id == status and "hacked" in message.text
    assert [v["text"] for v in message.raw["versions"]] == ["@AcmeCare my order 4821 is late"]
    assert message.urgency in ("high", "critical")  # classified again: an account takeover
    after = _conversation(engine)
    assert (after.sla_due_at, after.last_outbound_at) == (answered.sla_due_at, answered.last_outbound_at)
    assert sweep(engine, rt, clock(), classifier).edited == 0  # read again: nothing more
    assert len(_inbound(engine)) == 1 and len(_inbound(engine)[0].raw["versions"]) == 1


def test_a_status_edited_before_the_inbox_read_it_gets_no_false_history(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    status = sandbox.add_mention("@AcmeCare parcel late", author="jane")
    sandbox.edit_status(status, "@AcmeCare parcel 3 days late")
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert sweep(engine, rt, datetime.now(UTC)).edited == 0
    [message] = _inbound(engine)
    assert message.text == "@AcmeCare parcel 3 days late" and "versions" not in message.raw
