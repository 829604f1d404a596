"""A Mastodon direct status with an absurd id never becomes the DM cursor (the Mastodon sandbox, requests,
SQLite).

Before: a direct status a buggy server rendered with a 40-digit id became the ``dms`` stream's ``seen``
(ids sort by length), so that stream took every later conversation as already read; later direct messages
were only seen through the mention notifications. Only a real Mastodon id (a snowflake) moves it now, and
a cursor spoilt so is read afresh.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.mastodon.render import render_notification, render_status
from connectors.sandbox.mastodon.server import MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import StreamReport, poll_channel
from inbox.store.tables import ListeningCursor, Message
from tests.support.clock import Clock

POISON = "9" * 40


def _dms(engine: Engine, rt: Runtime, clock: Clock) -> StreamReport:
    return {r.stream: r for r in poll_channel(engine, rt, clock=clock, due=default_due)}["dms"]


def _row(s: Session) -> ListeningCursor:
    return s.exec(select(ListeningCursor).where(ListeningCursor.stream == "dms")).one()


def _cursor(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        return json.loads(_row(s).cursor or "{}")


def _reads_the_next_dm(engine: Engine, sandbox: MastodonSandbox, rt: Runtime, clock: Clock) -> None:
    """A DM written now is read by the dms stream, and the cursor moves to it."""
    later = sandbox.add_dm("later dm", sender="zoe")
    report = _dms(engine, rt, clock)
    assert report.error is None and report.new + report.duplicates >= 1  # the dms stream read it
    assert _cursor(engine)["seen"] == later


def test_a_direct_status_with_a_40_digit_id_does_not_hide_the_later_dms(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    clock = Clock()
    sandbox.add_dm("first dm", sender="jane")
    assert _dms(engine, rt, clock).error is None
    odd = sandbox.add_dm("odd id dm", sender="kim")
    with sandbox.lock:
        status = sandbox.store.statuses[odd]
        status.raw = {**render_status(sandbox.store, status), "id": POISON}
    assert _dms(engine, rt, clock).error is None
    _reads_the_next_dm(engine, sandbox, rt, clock)


def test_a_dm_cursor_already_spoilt_is_read_afresh(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    clock = Clock()
    sandbox.add_dm("first dm", sender="jane")
    _dms(engine, rt, clock)
    with Session(engine) as s:
        row = _row(s)
        row.cursor = json.dumps({"seen": POISON})
        s.add(row)
        s.commit()
    _reads_the_next_dm(engine, sandbox, rt, clock)


def test_a_mention_notification_with_a_40_digit_id_does_not_hide_the_later_mentions(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    """The ``mentions`` stream's ``since_id`` is the newest notification id read: a 40-digit one from a buggy
    server used to become it, and every later mention was older, never read."""
    sandbox, rt = mastodon_channel
    clock = Clock()
    sandbox.add_mention("first mention", author="jane")
    sandbox.add_mention("odd id mention", author="kim")
    with sandbox.lock:
        page = [render_notification(sandbox.store, n) for n in reversed(sandbox.store.notifications)]
    page[0] = {**page[0], "id": POISON}
    sandbox.inject_fault("/api/v1/notifications", status=200, body=page)
    assert _mentions(engine, rt, clock).error is None
    sandbox.add_mention("later mention", author="zoe")
    assert _mentions(engine, rt, clock).error is None
    with Session(engine) as s:
        texts = list(s.exec(select(Message.text)))
    assert sum("later mention" in t for t in texts) == 1


def _mentions(engine: Engine, rt: Runtime, clock: Clock) -> StreamReport:
    return {r.stream: r for r in poll_channel(engine, rt, clock=clock, due=default_due)}["mentions"]


def test_a_mentions_cursor_already_spoilt_is_read_afresh(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    sandbox, rt = mastodon_channel
    clock = Clock()
    sandbox.add_mention("first mention", author="jane")
    _mentions(engine, rt, clock)
    with Session(engine) as s:
        row = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "mentions")).one()
        row.cursor = json.dumps({"since_id": POISON})
        s.add(row)
        s.commit()
    sandbox.add_mention("later mention", author="zoe")
    assert _mentions(engine, rt, clock).new == 1
