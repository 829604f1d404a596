"""A Bluesky chat convo the chat service refuses at every read (a 5xx or 4xx for that convo alone) never
blocks the other convos: they are read and stored, the refused one is tried again with back-off, named on
the Channels page (the dms stream's last error), and once it answers its messages are stored once (real
parts: the Bluesky sandbox, requests, SQLite).

Before: ``getMessages`` failing for one convo failed the whole dms page at every poll, so no customer's DM was
stored on that channel while the one convo stayed broken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import BlueskySandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import ListeningCursor, Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def _texts(engine: Engine) -> Counter[str]:
    with Session(engine) as s:
        return Counter(s.exec(select(Message.text)))


def _dms_error(engine: Engine) -> str | None:
    with Session(engine) as s:
        return s.exec(select(ListeningCursor.last_error).where(ListeningCursor.stream == "dms")).one()


def _poll(engine: Engine, rt: Runtime, clock: Clock) -> None:
    reports = poll_channel(engine, rt, clock=clock, due=default_due)
    assert [r.error for r in reports] == [None] * len(reports)


@pytest.fixture
def listening(engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch) -> tuple[Runtime, Clock]:
    """The brand's channel on the sandbox, its clock (the connector's too), ann and bob each writing once."""
    rt = bluesky_runtime(bsky, monkeypatch)
    clock = Clock()
    rt.connector.clock = clock  # type: ignore[attr-defined]
    bsky.add_dm("ann one", sender="ann.bsky.social")
    bsky.add_dm("bob one", sender="bob.bsky.social")
    return rt, clock


def _reads_of(bsky: BlueskySandbox, convo: str) -> int:
    return sum(
        1 for r in bsky.requests if r.path.endswith("getMessages") and r.query.get("convoId") == [convo]
    )


@pytest.mark.parametrize("status", [500, 400])
def test_a_refused_convo_holds_back_only_itself(
    engine: Engine, bsky: BlueskySandbox, listening: tuple[Runtime, Clock], status: int
) -> None:
    rt, clock = listening
    _poll(engine, rt, clock)
    refused = bsky.refuse_convo("ann.bsky.social", status)
    bsky.add_dm("ann two", sender="ann.bsky.social")
    bsky.add_dm("bob two", sender="bob.bsky.social")
    _poll(engine, rt, clock)
    assert _texts(engine) == Counter({"ann one": 1, "bob one": 1, "bob two": 1})
    assert refused in (_dms_error(engine) or "") and str(status) in (_dms_error(engine) or "")
    tries = _reads_of(bsky, refused)
    clock.now += timedelta(seconds=10)
    bsky.add_dm("bob three", sender="bob.bsky.social")
    _poll(engine, rt, clock)
    assert _reads_of(bsky, refused) == tries  # backing off, not hammered at every poll
    assert _texts(engine)["bob three"] == 1 and refused in (_dms_error(engine) or "")
    bsky.refuse_convo("ann.bsky.social", None)
    bsky.add_dm("ann three", sender="ann.bsky.social")
    clock.now += timedelta(hours=1)
    _poll(engine, rt, clock)
    _poll(engine, rt, clock)
    assert _texts(engine) == Counter(
        {t: 1 for t in ["ann one", "ann two", "ann three", "bob one", "bob two", "bob three"]}
    )
    assert _dms_error(engine) is None


def test_a_convo_refused_on_a_cold_start_is_read_once_it_answers(
    engine: Engine, bsky: BlueskySandbox, listening: tuple[Runtime, Clock]
) -> None:
    rt, clock = listening
    bsky.refuse_convo("ann.bsky.social", 502)
    _poll(engine, rt, clock)
    assert _texts(engine) == Counter({"bob one": 1})
    bsky.refuse_convo("ann.bsky.social", None)
    clock.now += timedelta(minutes=5)
    _poll(engine, rt, clock)
    assert _texts(engine) == Counter({"ann one": 1, "bob one": 1})


@pytest.mark.parametrize("body", [[1, 2], "oops", {"messages": "none", "cursor": 5}])
def test_a_convo_answered_with_a_page_of_the_wrong_shape_holds_back_only_itself(
    engine: Engine, bsky: BlueskySandbox, listening: tuple[Runtime, Clock], body: object
) -> None:
    rt, clock = listening
    bsky.inject_fault("/xrpc/chat.bsky.convo.getMessages", status=200, body=body)  # the first convo read
    _poll(engine, rt, clock)
    assert len(_texts(engine)) == 1 and "held back" in (_dms_error(engine) or "")
    clock.now += timedelta(minutes=5)
    _poll(engine, rt, clock)
    assert _texts(engine) == Counter({"ann one": 1, "bob one": 1}) and _dms_error(engine) is None


def test_a_held_convo_keeps_no_names_in_the_cursor(
    engine: Engine, bsky: BlueskySandbox, listening: tuple[Runtime, Clock]
) -> None:
    rt, clock = listening
    bsky.add_account("ann.bsky.social", "Ann Onyme")
    bsky.refuse_convo("ann.bsky.social", 500)
    _poll(engine, rt, clock)
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor.cursor).where(ListeningCursor.stream == "dms")).one() or ""
    assert '"held"' in cursor and "Ann Onyme" not in cursor and "ann.bsky.social" not in cursor
