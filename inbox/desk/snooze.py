"""Snoozing a conversation: it is pending (off the open queue and the running clocks) until a time, then
open again, or as soon as its customer writes (``inbox.ingest.threads``), whichever comes first.

Session-taking, never commits; "work" only, on a channel the agent works. Rules: the time is in the future
and at most ``MAX_SNOOZE`` ahead; a resolved conversation is not snoozed (reopen it first); setting a status
by hand ends a snooze (``inbox.desk.actions.set_status``); ``wake_due`` (the automation tick) opens each
conversation whose time came, once, audited as ``automation``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from inbox.access import require
from inbox.desk.actions import DeskError, workable
from inbox.i18n import _
from inbox.store import records as store
from inbox.store.tables import Conversation, User

MAX_SNOOZE = timedelta(days=90)
AUTOMATION = "automation"


def snooze(session: Session, conv_id: int, actor: User, until: datetime, now: datetime) -> None:
    """Pending until ``until``; audited (``conversation.snoozed``)."""
    require(actor, "work")
    if until.tzinfo is None:
        raise ValueError("until must be timezone-aware")
    conv = workable(session, conv_id, actor)
    if conv.status == "resolved":
        raise DeskError(_("a resolved conversation is not snoozed: reopen it first"))
    if until <= now:
        raise DeskError(_("choose a time in the future"))
    if until > now + MAX_SNOOZE:
        raise DeskError(_("a conversation is snoozed for at most {days} days").format(days=MAX_SNOOZE.days))
    before, conv.status, conv.snoozed_until = conv.status, "pending", until
    store.audit(
        session,
        actor.name,
        "conversation.snoozed",
        target=("conversation", conv_id),
        detail={"from": before, "until": until.isoformat()},
        at=now,
    )


def wake_due(session: Session, now: datetime) -> list[int]:
    """Open again the snoozed conversations whose time came; their ids. Each one once, even with several
    listeners: the update is conditional on the conversation still being snoozed."""
    due = session.exec(
        select(Conversation.id, Conversation.snoozed_until).where(
            Conversation.status == "pending", col(Conversation.snoozed_until) <= now
        )
    ).all()
    woken = []
    for conv_id, until in due:
        done = session.execute(
            update(Conversation)
            .where(col(Conversation.id) == conv_id, col(Conversation.snoozed_until) == until)
            .where(col(Conversation.status) == "pending")
            .values(status="open", snoozed_until=None)
        )
        if done.rowcount and conv_id is not None:  # type: ignore[attr-defined]
            woken.append(conv_id)
            store.audit(
                session,
                AUTOMATION,
                "conversation.woken",
                target=("conversation", conv_id),
                detail={"snoozed_until": until.isoformat() if until else None},
                at=now,
            )
    return woken
