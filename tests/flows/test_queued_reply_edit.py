"""A reply waiting in the outbox: its author (or a manager, an admin) cancels it or changes its text.

What is sent is what was decided last: a cancelled reply is never posted, an edited one goes with its new
text, re-checked like a new reply. A reply a sender already took, or one an earlier attempt may have posted,
can no longer be changed. Audited with who, when, old and new text.

Real parts: the X sandbox through tweepy, the real sender (``outbox.drain``), SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.access import PermissionDenied
from inbox.desk.accounts import Operator
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.replies import queued
from inbox.store.tables import AuditEvent, Conversation, OutboundReply
from tests.support.x_channel import poll

AUTHOR, COLLEAGUE, LEAD = Operator("sam", "agent"), Operator("kim", "agent"), Operator("lee", "manager")


def _queued(engine: Engine, sandbox: XSandbox, rt: Runtime, text: str = "@jane We are on it!") -> int:
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    poll(engine, rt)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply = outbox.enqueue(s, conv, visibility="public", text=text, actor="sam", now=datetime.now(UTC))
        return reply.id or 0


def _row(engine: Engine, reply_id: int) -> OutboundReply:
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None
        return row


def _edit(engine: Engine, reply_id: int, user: Operator, text: str, seen: str) -> queued.EditResult:
    with Session(engine) as s, s.begin():
        return queued.edit(s, reply_id, user, text, datetime.now(UTC), seen_text=seen)


def _drain(engine: Engine, rt: Runtime, later: timedelta = timedelta()) -> None:
    outbox.drain(engine, {rt.name: rt.connector}, lambda: datetime.now(UTC) + later)


def test_an_edited_reply_is_posted_with_its_new_text_and_audited(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    reply_id = _queued(engine, sandbox, rt)
    result = _edit(engine, reply_id, AUTHOR, "@jane We found it: it arrives tomorrow.", "@jane We are on it!")
    assert result.reply is not None and result.verdict is None
    _drain(engine, rt)
    assert [t["text"] for t in sandbox.sent_tweets] == ["@jane We found it: it arrives tomorrow."]
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "reply.edited")).one()
    assert event.actor == "sam"
    assert event.detail["old"] == "@jane We are on it!"
    assert event.detail["new"] == "@jane We found it: it arrives tomorrow."


def test_a_cancelled_reply_is_never_posted(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    reply_id = _queued(engine, sandbox, rt)
    with Session(engine) as s, s.begin():
        queued.cancel(s, reply_id, LEAD, datetime.now(UTC))  # a lead may cancel a colleague's
    _drain(engine, rt, timedelta(hours=1))
    assert sandbox.sent_tweets == []
    assert _row(engine, reply_id).status == "cancelled"
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "reply.cancelled")).one()
    assert event.actor == "lee" and event.detail["text"] == "@jane We are on it!"


def test_an_edit_is_checked_like_a_new_reply(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    reply_id = _queued(engine, sandbox, rt)
    for text in ("@jane call me on 06 12 34 56 78", "@jane Hello {first_name}", "   ", "x" * 400):
        result = _edit(engine, reply_id, AUTHOR, text, "@jane We are on it!")
        assert result.reply is None and result.verdict is not None and result.verdict.problems, text
    assert _row(engine, reply_id).text == "@jane We are on it!"


def test_only_its_author_or_a_lead_may_change_it(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    reply_id = _queued(engine, sandbox, rt)
    with pytest.raises(PermissionDenied):
        _edit(engine, reply_id, COLLEAGUE, "@jane Mine now", "@jane We are on it!")
    with Session(engine) as s, s.begin(), pytest.raises(PermissionDenied):
        queued.cancel(s, reply_id, COLLEAGUE, datetime.now(UTC))
    assert _edit(engine, reply_id, LEAD, "@jane Sorted.", "@jane We are on it!").reply is not None


def test_an_edit_on_a_text_changed_meanwhile_is_refused(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    reply_id = _queued(engine, sandbox, rt)
    assert _edit(engine, reply_id, LEAD, "@jane Sorted.", "@jane We are on it!").reply is not None
    with pytest.raises(queued.NotWaiting):  # the author edits what they saw before the lead's change
        _edit(engine, reply_id, AUTHOR, "@jane Tomorrow.", "@jane We are on it!")
    assert _row(engine, reply_id).text == "@jane Sorted."


def test_a_reply_a_sender_took_or_may_have_posted_cannot_change(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    reply_id = _queued(engine, sandbox, rt)
    sandbox.inject_fault("/2/tweets", status=503)  # unsure: X may have it, it is looked for first
    _drain(engine, rt)
    row = _row(engine, reply_id)
    assert row.status == "pending" and row.unsure_from is not None
    assert not queued.changeable(row)
    with pytest.raises(queued.NotWaiting):
        _edit(engine, reply_id, AUTHOR, "@jane Another text", "@jane We are on it!")
    with Session(engine) as s, s.begin(), pytest.raises(queued.NotWaiting):
        queued.cancel(s, reply_id, AUTHOR, datetime.now(UTC))
    _drain(engine, rt, timedelta(hours=1))
    assert [t["text"] for t in sandbox.sent_tweets] == ["@jane We are on it!"]
    with pytest.raises(queued.NotWaiting):  # sent: nothing to change
        _edit(engine, reply_id, AUTHOR, "@jane Another text", "@jane We are on it!")


def test_a_reply_whose_sender_died_before_posting_can_be_edited_once_back_in_the_queue(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """Claimed, then its sender killed before its POST (the claim still marked unposted): while the claim
    runs nobody may change it; once it is back in the queue, the edit is what goes, once."""
    reply_id = _queued(engine, sandbox, rt)
    now = datetime.now(UTC)
    assert outbox._claim(engine, now, [rt.name]) == reply_id  # then the sender is killed
    with pytest.raises(queued.NotWaiting):
        _edit(engine, reply_id, AUTHOR, "@jane Found it.", "@jane We are on it!")
    later = now + outbox.SEND_LEASE + timedelta(seconds=30)
    outbox.recover_stuck(engine, {rt.name: rt.connector}, later)  # another sender: nothing was posted
    assert _row(engine, reply_id).status == "pending" and sandbox.sent_tweets == []
    assert _edit(engine, reply_id, AUTHOR, "@jane Found it.", "@jane We are on it!").reply is not None
    outbox.drain(engine, {rt.name: rt.connector}, lambda: later)
    outbox.drain(engine, {rt.name: rt.connector}, lambda: later + timedelta(hours=1))
    assert [t["text"] for t in sandbox.sent_tweets] == ["@jane Found it."]
