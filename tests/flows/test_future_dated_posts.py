"""A post dated in the future (a Bluesky client sets its own ``createdAt``; a fediverse server's clock can
be ahead) is stored at the time it reached us, so the agent's answer stops its clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, mastodon_runtime

AHEAD = timedelta(days=400)


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


@pytest.fixture
def mastodon() -> Iterator[MastodonSandbox]:
    with MastodonSandbox("AcmeCare") as sandbox:
        yield sandbox


def _answer(engine: Engine, rt: Runtime, clock: Clock) -> Conversation:
    """The agent answers the one public conversation through the outbox; returns it afterwards."""
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.visibility == "public")).one()
        outbox.enqueue(s, conv, visibility="public", text="Sorry! Looking now.", actor="agent", now=clock())
        conv_id = conv.id
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    with Session(engine) as s:
        after = s.get(Conversation, conv_id)
        assert after is not None
        return after


def test_a_bluesky_post_dated_next_year_is_timed_when_the_network_saw_it(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = bluesky_runtime(bsky, monkeypatch)
    before = datetime.now(UTC)
    bsky.add_post(f"@{DEFAULT_HANDLE} my order never came", at=before + AHEAD)
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s:
        stored = s.exec(select(Message)).one()
        conv = s.exec(select(Conversation)).one()
    assert before - timedelta(seconds=1) <= stored.created_at.replace(tzinfo=UTC) <= clock()
    assert conv.sla_due_at is not None and conv.sla_due_at.replace(tzinfo=UTC) < before + timedelta(days=2)
    clock.now += timedelta(minutes=10)
    after = _answer(engine, rt, clock)
    assert after.first_response_at is not None and after.sla_due_at is None


def test_a_status_from_a_server_whose_clock_is_ahead_is_timed_when_it_reached_us(
    engine: Engine, mastodon: MastodonSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = mastodon_runtime(mastodon, monkeypatch)
    mastodon.add_mention(
        "my order never came", author="jane@fast.clock", created_at=datetime.now(UTC) + AHEAD
    )
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s:
        stored = s.exec(select(Message)).one()
    assert stored.created_at.replace(tzinfo=UTC) == clock()
    assert stored.raw["status"]["created_at"].startswith(str((clock() + AHEAD).year))  # the claim is kept
    clock.now += timedelta(minutes=10)
    after = _answer(engine, rt, clock)
    assert after.first_response_at is not None and after.sla_due_at is None
