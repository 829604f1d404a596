"""Poison items on Mastodon and Bluesky never stop a channel (issue #12.2), through the real listener.

Among well-formed mentions, one carries half an emoji (a lone surrogate: stored with U+FFFD) and two carry
a date no calendar holds (quarantined with their error); the rest of the pages is stored, the cursor moves
past them, and the next poll reads only what is new.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import HttpUrl
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox
from connectors.sandbox.mastodon.render import render_status
from connectors.sandbox.mastodon.server import TOKEN, MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import StreamReport, poll_channel
from inbox.store.tables import Message, QuarantinedItem
from tests.support.clock import Clock

BROKEN = "my router \ud83d died"  # half of an emoji: what a broken client sends
YEARS_OUT_OF_RANGE = ["3170843-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00"]


@pytest.fixture
def masto() -> Iterator[MastodonSandbox]:
    with MastodonSandbox("AcmeCare") as sandbox:
        yield sandbox


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def _runtime(cfg: dict[str, Any]) -> Runtime:
    config = ChannelConfig.model_validate(cfg)
    return Runtime(config, build_connector(config))


def _poll(engine: Engine, rt: Runtime, stream: str) -> StreamReport:
    return {r.stream: r for r in poll_channel(engine, rt, clock=Clock(), due=default_due)}[stream]


def _texts(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(Message.text).order_by(col(Message.id))))


def _errors(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(QuarantinedItem.error)))


def _masto_poison(sandbox: MastodonSandbox, **changes: object) -> str:
    """A mention served as its own rendering with ``changes`` applied (what a faulty server sends)."""
    status_id = sandbox.add_mention("placeholder", author="eve")
    with sandbox.lock:
        status = sandbox.store.statuses[status_id]
        status.raw = {**render_status(sandbox.store, status), **changes}
    return status_id


def test_mastodon_poison_mentions_leave_the_rest_stored(
    engine: Engine, masto: MastodonSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", TOKEN)
    rt = _runtime(
        {
            "name": "mastodon-acme",
            "platform": "mastodon",
            "account": "AcmeCare",
            "base_url": HttpUrl(masto.url),
            "page_size": 5,
            "credentials": {"access_token": "MASTODON_ACCESS_TOKEN"},
        }
    )
    for i in range(6):
        masto.add_mention(f"question {i}", author="jane")
    _masto_poison(masto, content=f"<p>@AcmeCare {BROKEN}</p>")
    for year in YEARS_OUT_OF_RANGE:
        _masto_poison(masto, created_at=year)
    for i in range(6, 9):
        masto.add_mention(f"question {i}", author="jane")
    report = _poll(engine, rt, "mentions")
    assert report.error is None and (report.new, report.quarantined) == (10, 2)
    texts = _texts(engine)
    assert sum("question" in t for t in texts) == 9
    assert any("my router \ufffd died" in t for t in texts)
    assert len(_errors(engine)) == 2 and all("created_at" in e for e in _errors(engine))
    masto.add_mention("still there?", author="jane")
    again = _poll(engine, rt, "mentions")
    assert (again.new, again.quarantined, again.error) == (1, 0, None)


def _bsky_poison(bsky: BlueskySandbox, **record_changes: object) -> None:
    """A mention notification whose post record carries ``record_changes``."""
    uri = bsky.add_post(f"@{DEFAULT_HANDLE} placeholder", author="eve.bsky.social")
    with bsky.lock:
        view = bsky.store.post_view(bsky.store.posts[uri])
        # the post itself stays valid for thread look-ups; only the notification is faulty
        bsky.store.notifications = [(s, e) for s, e in bsky.store.notifications if e != uri]
    record = {**view["record"], **record_changes}
    bsky.add_raw_notification({**view, "record": record, "reason": "mention", "isRead": False})


def test_bluesky_poison_notifications_leave_the_rest_stored(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", DEFAULT_PASSWORD)
    rt = _runtime(
        {
            "name": "bsky-acme",
            "platform": "bluesky",
            "account": DEFAULT_HANDLE,
            "base_url": bsky.url,
            "page_size": 5,
            "credentials": {"app_password": "BLUESKY_APP_PASSWORD"},
        }
    )
    for i in range(6):
        bsky.add_post(f"@{DEFAULT_HANDLE} question {i}", author="jane.bsky.social")
    _bsky_poison(bsky, text=f"@{DEFAULT_HANDLE} {BROKEN}")
    for year in YEARS_OUT_OF_RANGE:
        _bsky_poison(bsky, createdAt=year)
    for i in range(6, 9):
        bsky.add_post(f"@{DEFAULT_HANDLE} question {i}", author="jane.bsky.social")
    report = _poll(engine, rt, "notifications")
    assert report.error is None and (report.new, report.quarantined) == (10, 2)
    texts = _texts(engine)
    assert sum("question" in t for t in texts) == 9
    assert any("my router \ufffd died" in t for t in texts)
    assert len(_errors(engine)) == 2 and all("createdAt" in e for e in _errors(engine))
    bsky.add_post(f"@{DEFAULT_HANDLE} still there?", author="jane.bsky.social")
    again = _poll(engine, rt, "notifications")
    assert (again.new, again.quarantined, again.error) == (1, 0, None)
