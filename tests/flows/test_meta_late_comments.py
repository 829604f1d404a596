"""A Facebook or Instagram comment that Graph shows only after a newer one was read (Graph's lag between a
comment's creation and its listing, a comment held for moderation then approved) is still stored when the
inbox polls (real parts: the Meta sandbox, requests, SQLite).

Before: the comments cursor's ``since`` was the newest comment time read, and a comment listed later with
an earlier time was older than it: never read by polling, lost where no webhook delivered it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.meta.server import MetaSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock


def _poll(engine: Engine, rt: Runtime) -> None:
    for _ in range(2):
        assert all(r.error is None for r in poll_channel(engine, rt, clock=Clock(), due=default_due))


@pytest.mark.parametrize("name", ["fb-acme", "ig-acme"])
def test_a_comment_listed_after_a_newer_one_is_stored(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], name: str
) -> None:
    rt = next(r for r in runtimes if r.name == name)
    platform = "facebook" if name == "fb-acme" else "instagram"
    meta.add_comment("read first", platform=platform, author="Ann", push=False)
    _poll(engine, rt)
    written = datetime.now(UTC) - timedelta(seconds=90)  # written before "read first", listed after it
    meta.add_comment("approved late", platform=platform, author="Bob", created_at=written, push=False)
    _poll(engine, rt)
    with Session(engine) as s:
        assert sorted(s.exec(select(Message.text))) == ["approved late", "read first"]
