"""A poison payload is quarantined with its error, and the error quotes the bad value: the card number in it
is masked like the payload's, and an erasure of the customer it names removes it (real parts: the Bluesky
sandbox through requests, the listener's poll, SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_stream
from inbox.privacy.erase import erase
from inbox.privacy.record import person_record
from inbox.privacy.subject import find_subject
from inbox.store.tables import QuarantinedItem
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, raw_notification

CARD = "4111 1111 1111 1111"


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def _poison(engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    rt = bluesky_runtime(bsky, monkeypatch)
    bsky.add_post(f"@{DEFAULT_HANDLE} hello", author="eve.bsky.social")  # eve is known: a contact
    uri = bsky.add_post(f"@{DEFAULT_HANDLE} my card {CARD}", author="eve.bsky.social")
    with bsky.lock:
        record = {**bsky.store.posts[uri].record, "createdAt": f"eve.bsky.social card {CARD}"}
    raw_notification(bsky, uri, indexedAt=None, record=record)
    poll_stream(engine, rt, "notifications", clock=Clock(), due=default_due)


def test_the_error_of_a_quarantined_item_is_masked(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison(engine, bsky, monkeypatch)
    with Session(engine) as s:
        items = s.exec(select(QuarantinedItem)).all()
    assert items and all("1111 1111 1111" not in q.error + str(q.raw) for q in items)
    assert any("**** **** **** 1111" in q.error for q in items)  # the error is still readable


def test_a_quarantined_item_whose_error_names_them_is_exported_and_erased(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison(engine, bsky, monkeypatch)
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        for q in s.exec(select(QuarantinedItem)).all():
            q.raw = {"note": "payload cut"}  # only the error names her now
        subject = find_subject(s, "bsky-acme:eve.bsky.social")
        record = person_record(s, subject, now)
    assert record["named_elsewhere"]["quarantined"]
    erase(engine, "bsky-acme:eve.bsky.social", actor="dpo", reason="DSAR", now=now)
    with Session(engine) as s:
        assert all("eve.bsky.social" not in q.error for q in s.exec(select(QuarantinedItem)))
