"""A bad item the platform serves again is quarantined once (real parts: the Bluesky sandbox through
requests, the listener's poll, SQLite).

Bluesky's notifications are read newest first back to the last sweep's newest time; a notification whose
``indexedAt`` cannot be read is never "older" than that, so every sweep reads it again. Before, each poll
added it to the quarantine once more (``inbox quarantine list`` grew by one row a minute).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_stream
from inbox.store.tables import QuarantinedItem
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, raw_notification


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def test_a_bad_notification_read_at_every_sweep_is_quarantined_once(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = bluesky_runtime(bsky, monkeypatch)
    uri = bsky.add_post(f"@{DEFAULT_HANDLE} my order is late", author="eve.bsky.social")
    with bsky.lock:
        record = {**bsky.store.posts[uri].record, "createdAt": 5}
    raw_notification(bsky, uri, indexedAt=None, record=record)  # no time the sweep can read
    reports = []
    for n in range(3):
        bsky.add_post(f"@{DEFAULT_HANDLE} question {n}", author="ann.bsky.social")
        reports.append(poll_stream(engine, rt, "notifications", clock=Clock(), due=default_due))
    assert [r.new for r in reports] == [1, 1, 1] and [r.quarantined for r in reports] == [1, 0, 0]
    assert reports[1].duplicates == 1  # read again by the second sweep: already in quarantine
    with Session(engine) as s:
        assert [q.external_id for q in s.exec(select(QuarantinedItem))] == [uri]
