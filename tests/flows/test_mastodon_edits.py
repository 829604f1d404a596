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
from inbox.charter.deadlines import CharterDue, default_due
from inbox.charter.model import load_charter
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
    assert sweep(engine, rt, clock(), classifier, due=default_due).edited == 0  # nothing edited yet

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
    assert sweep(engine, rt, clock(), classifier, due=default_due).edited == 1
    [message] = _inbound(engine)
    assert message.platform_id == status and "hacked" in message.text
    assert [v["text"] for v in message.raw["versions"]] == ["@AcmeCare my order 4821 is late"]
    assert message.urgency in ("high", "critical")  # classified again: an account takeover
    after = _conversation(engine)
    assert (after.sla_due_at, after.last_outbound_at) == (answered.sla_due_at, answered.last_outbound_at)
    assert sweep(engine, rt, clock(), classifier, due=default_due).edited == 0  # read again: nothing more
    assert len(_inbound(engine)) == 1 and len(_inbound(engine)[0].raw["versions"]) == 1


def test_a_status_edited_before_the_inbox_read_it_gets_no_false_history(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    status = sandbox.add_mention("@AcmeCare parcel late", author="jane")
    sandbox.edit_status(status, "@AcmeCare parcel 3 days late")
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert sweep(engine, rt, datetime.now(UTC), due=default_due).edited == 0
    [message] = _inbound(engine)
    assert message.text == "@AcmeCare parcel 3 days late" and "versions" not in message.raw


def test_an_edit_found_by_the_sweep_moves_reason_urgency_and_clock_as_one_read_on_a_page(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime], classifier: Any
) -> None:
    """Shipped charter. Jane writes about a late order (delivery, normal urgency) and edits it 5 minutes
    later to say her account was hacked; Joe wrote the same words at the same instant, already edited when
    the inbox first read them (the page path). Both messages ask the same thing, so both conversations have
    the same reason, urgency and running clock's due time (docs/kpis.md, "A customer's edit"): before, the
    sweep changed Jane's words and classification but her conversation kept the delivery reason, the normal
    urgency and the delivery target's due time."""
    due = CharterDue(load_charter(ROOT / "config"))
    now = datetime.now(UTC).replace(microsecond=0)
    clock = Clock(now)
    sandbox, rt = mastodon_channel
    late, hacked = (
        "@AcmeCare my order 4821 is late",
        "@AcmeCare my account was hacked, someone changed my password",
    )
    jane = sandbox.add_mention(late, author="jane", created_at=now)
    joe = sandbox.add_mention(late, author="joe", created_at=now)
    sandbox.edit_status(joe, hacked, now + timedelta(minutes=1))
    poll_channel(engine, rt, clock=clock, due=due, classifier=classifier)
    clock.now += timedelta(minutes=5)
    sandbox.edit_status(jane, hacked, clock())
    assert sweep(engine, rt, clock(), classifier, due=due).edited == 1
    with Session(engine) as s:
        by_author = {m.author_handle: m for m in s.exec(select(Message).where(Message.direction == "in"))}
        convs = {h: s.get(Conversation, m.conversation_id) for h, m in by_author.items()}
    edited, read = convs["jane"], convs["joe"]
    assert edited is not None and read is not None
    assert read.urgency in ("high", "critical") and read.reason != "delivery_order"  # the premise
    assert (edited.reason, edited.urgency) == (read.reason, read.urgency)
    assert edited.sla_due_at == read.sla_due_at and edited.clock_started_at == read.clock_started_at
