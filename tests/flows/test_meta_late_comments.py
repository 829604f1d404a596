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


def test_a_comments_page_that_names_itself_as_next_does_not_hold_the_other_posts(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    """A gateway or cache that answers every page of a post's comments with the same ``after`` cursor (a page
    repeated after the cursor advanced) used to keep the stream on that post for good: every poll read it
    again, and the comments on the Page's other posts were never read."""
    rt = next(r for r in runtimes if r.name == "fb-acme")
    older = meta.add_post("Older post", created_at=datetime.now(UTC) - timedelta(days=2))
    newer = meta.add_post("Newer post", created_at=datetime.now(UTC) - timedelta(days=1))
    meta.add_comment("on the older post", on=older, author="Ann", push=False)
    meta.add_comment("on the newer post", on=newer, author="Bob", push=False)
    loop = {
        "data": [],
        "paging": {"cursors": {"after": "SAME"}, "next": f"{meta.url}/{newer}/comments?after=SAME"},
    }
    meta.inject_fault(f"/{newer}/comments", status=200, body=loop, count=1000)
    _poll(engine, rt)
    with Session(engine) as s:
        assert "on the older post" in set(s.exec(select(Message.text)))


def test_a_post_deleted_during_a_round_does_not_hold_the_other_posts(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    """The Page deletes a post after the round listed it: Graph refuses its comments (code 100, subcode 33,
    'does not exist'). That refusal used to stop the stream at that post at every poll, the comments on the
    Page's other posts never read."""
    rt = next(r for r in runtimes if r.name == "fb-acme")
    older = meta.add_post("Older post", created_at=datetime.now(UTC) - timedelta(days=2))
    newer = meta.add_post("Newer post", created_at=datetime.now(UTC) - timedelta(days=1))
    meta.add_comment("on the older post", on=older, author="Ann", push=False)
    gone = {
        "error": {
            "message": f"Unsupported get request. Object with ID '{newer}' does not exist",
            "type": "GraphMethodException",
            "code": 100,
            "error_subcode": 33,
        }
    }
    meta.inject_fault(f"/{newer}/comments", status=400, body=gone, count=1000)
    for _ in range(2):
        poll_channel(engine, rt, clock=Clock(), due=default_due)
    with Session(engine) as s:
        assert "on the older post" in set(s.exec(select(Message.text)))
