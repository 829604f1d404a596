"""A Mastodon listing whose ``Link`` "next" points at the very page it answered (a cache or a buggy instance
serving the same older page again) never holds the mentions or DM stream: newer ones are still read, none
twice, and the older ones once the instance pages again (the Mastodon sandbox, requests, the listener,
SQLite).

Before: the stream followed the repeated link page after page, poll after poll, and nothing written after
it started was read while the instance repeated itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import mastodon_runtime


@pytest.fixture
def mastodon() -> Iterator[MastodonSandbox]:
    with MastodonSandbox() as sandbox:
        yield sandbox


def _texts(engine: Engine) -> Counter[str]:
    with Session(engine) as s:
        return Counter(t.removeprefix("@AcmeCare ") for t in s.exec(select(Message.text)))


def test_a_repeated_next_link_never_hides_newer_mentions_nor_dms(
    engine: Engine, mastodon: MastodonSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = mastodon_runtime(mastodon, monkeypatch)
    rt.connector.page_size = 2  # type: ignore[attr-defined]
    clock = Clock()
    mastodon.add_mention("first", author="ann")
    mastodon.add_dm("dm first", sender="ann")
    poll_channel(engine, rt, clock=clock, due=default_due)
    for n in range(5):
        mastodon.add_mention(f"backlog {n}", author=f"u{n}")
        mastodon.add_dm(f"dm backlog {n}", sender=f"u{n}")
    mastodon.stick_cursor()
    for _ in range(2):
        poll_channel(engine, rt, clock=clock, due=default_due)
    mastodon.add_mention("latest", author="zoe")
    mastodon.add_dm("dm latest", sender="zoe")
    poll_channel(engine, rt, clock=clock, due=default_due)
    assert {"latest", "dm latest"} <= set(_texts(engine)), _texts(engine)
    mastodon.stick_cursor(False)
    for _ in range(3):
        poll_channel(engine, rt, clock=clock, due=default_due)
    every = ["first", "dm first", "latest", "dm latest"]
    every += [f"backlog {n}" for n in range(5)] + [f"dm backlog {n}" for n in range(5)]
    assert _texts(engine) == Counter(every)
