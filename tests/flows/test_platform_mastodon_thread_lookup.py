"""A Mastodon reply whose thread the instance cannot tell (``/context`` of its parent failing with a 5xx or a
page that is not JSON at every read) never holds the mentions stream: after a few polls it is stored in a
conversation of its own parent, and every other mention is read (the Mastodon sandbox, requests, SQLite).

Before: the lookup's failure failed the whole page at every poll, so no later mention was stored while that
one parent's context failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Conversation, Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import mastodon_runtime


@pytest.fixture
def mastodon() -> Iterator[MastodonSandbox]:
    with MastodonSandbox() as sandbox:
        yield sandbox


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 200, "body": b"<html>oops</html>"}])
def test_a_parent_whose_context_always_fails_holds_nothing_back(
    engine: Engine, mastodon: MastodonSandbox, monkeypatch: pytest.MonkeyPatch, fault: dict[str, object]
) -> None:
    rt, clock = mastodon_runtime(mastodon, monkeypatch), Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    ours = mastodon.add_post("Nos horaires de Noël", author="AcmeCare")
    mastodon.inject_fault(f"/api/v1/statuses/{ours}/context", count=1000, **fault)  # type: ignore[arg-type]
    mastodon.add_mention("and on Sunday?", author="ann", in_reply_to=ours)
    mastodon.add_mention("my parcel is lost", author="bob")
    for _ in range(4):  # the stream backs off after a failed page: each poll a while later
        poll_channel(engine, rt, clock=clock, due=default_due)
        clock.now += timedelta(minutes=10)
    with Session(engine) as s:
        texts = sorted(t.removeprefix("@AcmeCare ") for t in s.exec(select(Message.text)))
        keys = set(s.exec(select(Conversation.thread_key)))
    assert texts == ["and on Sunday?", "my parcel is lost"]
    assert ours in keys  # answered in its thread, under the post it replies to
