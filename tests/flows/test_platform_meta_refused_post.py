"""One Facebook or Instagram post whose comments Graph fails to list at every read (a 5xx, or a page that
is not Graph's JSON, for that post alone) holds back only itself: the comments on the Page's other posts are
read, that post is tried again with back-off and named on the Channels page (the comments stream's last
error), and once Graph answers its comments are stored, each once (the Meta sandbox, requests, SQLite).

Before: the round stopped at that post at every poll, so no comment on any other post was read while it
failed.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.meta.server import MetaSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import ListeningCursor, Message
from tests.support.clock import Clock


def _texts(engine: Engine) -> Counter[str]:
    with Session(engine) as s:
        return Counter(s.exec(select(Message.text)))


def _comments_error(engine: Engine) -> str:
    with Session(engine) as s:
        return (
            s.exec(select(ListeningCursor.last_error).where(ListeningCursor.stream == "comments")).one() or ""
        )


@pytest.mark.parametrize(
    ("name", "fault"), [("fb-acme", {"status": 500}), ("ig-acme", {"status": 200, "body": b"<html>"})]
)
def test_a_post_graph_fails_on_holds_back_only_itself(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], name: str, fault: dict[str, object]
) -> None:
    rt = next(r for r in runtimes if r.name == name)
    platform = "facebook" if name == "fb-acme" else "instagram"
    now = datetime.now(UTC)
    older = meta.add_post("Older post", platform=platform, created_at=now - timedelta(days=2))
    newer = meta.add_post("Newer post", platform=platform, created_at=now - timedelta(days=1))
    meta.add_comment("on the older post", on=older, platform=platform, author="Ann", push=False)
    meta.add_comment("on the newer post", on=newer, platform=platform, author="Bob", push=False)
    meta.inject_fault(f"/{newer}/comments", count=1000, **fault)  # type: ignore[arg-type]
    clock = Clock()
    rt.connector.clock = lambda: clock.now.timestamp()  # type: ignore[attr-defined]
    for _ in range(2):
        reports = poll_channel(engine, rt, clock=clock, due=default_due)
        assert [r.error for r in reports] == [None] * len(reports)
    assert _texts(engine) == Counter({"on the older post": 1})
    assert newer in _comments_error(engine)
    meta.clear_faults()
    meta.add_comment("later on the newer post", on=newer, platform=platform, author="Bob", push=False)
    clock.now += timedelta(hours=1)
    for _ in range(3):
        poll_channel(engine, rt, clock=clock, due=default_due)
    assert _texts(engine) == Counter(
        {"on the older post": 1, "on the newer post": 1, "later on the newer post": 1}
    )
    assert _comments_error(engine) == ""
