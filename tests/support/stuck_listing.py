"""One scenario for a listing whose cursor comes back as asked (a cache serving the same older page again):
newer mentions and DMs are still read while it is stuck, and every message is stored once after it pages
again. Used by the Bluesky, Mastodon and X flows tests, for a cursor repeated at once or cursors that
cycle."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock

Write = Callable[[str, str], object]  # (text, author handle)


def stored(engine: Engine, prefix: str) -> Counter[str]:
    with Session(engine) as s:
        return Counter(t.removeprefix(prefix) for t in s.exec(select(Message.text)))


def stuck_then_paging(
    engine: Engine,
    rt: Runtime,
    mention: Write,
    dm: Write,
    stick: Callable[[bool], None],
    prefix: str,
    *,
    page: int = 2,
    pages: int = 2,
    while_stuck: Callable[[], None] = lambda: None,
) -> None:
    """Run the scenario through ``rt`` (``page`` items a page, a backlog of more than ``pages`` pages);
    ``mention``/``dm`` write as a customer, ``stick`` makes the sandbox repeat its cursor or page again (or
    cycle); ``prefix`` is taken off stored texts; ``while_stuck`` checks more before the sandbox pages
    again."""
    rt.connector.page_size = page  # type: ignore[attr-defined]
    backlog = pages * page + 1
    clock = Clock()

    def poll(times: int = 1) -> None:
        for _ in range(times):
            poll_channel(engine, rt, clock=clock, due=default_due)

    mention("first", "ann")
    dm("dm first", "ann")
    poll()
    for n in range(backlog):
        mention(f"backlog {n}", f"u{n}")
        dm(f"dm backlog {n}", f"u{n}")
    stick(True)
    poll(2)
    mention("latest", "zoe")
    dm("dm latest", "zoe")
    poll()
    assert {"latest", "dm latest"} <= set(stored(engine, prefix)), stored(engine, prefix)
    while_stuck()
    stick(False)
    poll(pages + 1)
    every = ["first", "dm first", "latest", "dm latest"]
    every += [f"backlog {n}" for n in range(backlog)] + [f"dm backlog {n}" for n in range(backlog)]
    assert stored(engine, prefix) == Counter(every)
