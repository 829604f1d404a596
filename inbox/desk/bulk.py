"""Bulk actions from the queue: one action on several conversations (a selection, or all a filter matches).

Session-taking; never commits. Each conversation goes through the same service as a one-by-one action
(``inbox.desk.actions``, ``inbox.ingest.listening_items``, ``inbox.desk.incidents.members``), so each is
checked and audited on its own; one ``bulk.<action>`` event also records who applied what to how many. A
conversation the action does not fit (not a listening item, unknown, on a channel the user does not work:
``inbox.desk.channel_scope``) is listed as refused with the reason; the others are done. A user who may
not do the action at all is refused before anything changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from inbox.access import require
from inbox.desk import actions, channel_scope
from inbox.desk.incidents import lookup, members
from inbox.i18n import _
from inbox.ingest import listening_items
from inbox.store import records as store
from inbox.store.tables import Conversation, User

MAX_BULK = 500  # conversations one bulk action may change


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # conversation id -> why not


def _each(
    session: Session,
    name: str,
    ids: Sequence[int],
    actor: User,
    now: datetime,
    one: Callable[[int], None],
    detail: dict[str, object],
) -> BulkResult:
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_BULK:
        raise actions.DeskError(_("at most {n} conversations at once").format(n=MAX_BULK))
    result = BulkResult()
    workable = channel_scope.within(session, channel_scope.effective(session, actor), wanted)
    for conv_id in wanted:
        elsewhere = session.get(Conversation, conv_id) if conv_id not in workable else None
        if elsewhere is not None:  # on a channel the user does not work
            result.refused[conv_id] = channel_scope.refusal(session, elsewhere)
            continue
        try:
            with session.begin_nested():  # a refused one leaves nothing half-done
                one(conv_id)
        except (actions.DeskError, listening_items.DismissError, lookup.IncidentError) as exc:
            result.refused[conv_id] = str(exc)
        else:
            result.done.append(conv_id)
    store.audit(
        session,
        actor.name,
        f"bulk.{name}",
        detail={**detail, "conversations": result.done, "refused": len(result.refused)},
        at=now,
    )
    return result


def assign(
    session: Session, ids: Sequence[int], assignee_id: int | None, actor: User, now: datetime
) -> BulkResult:
    require(actor, "work")
    return _each(
        session,
        "assign",
        ids,
        actor,
        now,
        lambda c: actions.assign(session, c, assignee_id, actor, now),
        {"to": assignee_id},
    )


def add_tags(
    session: Session, ids: Sequence[int], tags: Sequence[str], actor: User, now: datetime
) -> BulkResult:
    """Add ``tags`` to each conversation's tags (the others stay)."""
    require(actor, "work")
    new = actions.clean_tags(tags)
    if not new:
        raise actions.DeskError(_("no tag to add"))

    def one(conv_id: int) -> None:
        conv = session.get(Conversation, conv_id)
        if conv is None:
            raise actions.DeskError(_("no conversation #{id}").format(id=conv_id))
        actions.set_tags(session, conv_id, [*conv.tags, *new], actor, now)

    return _each(session, "tags", ids, actor, now, one, {"added": new})


def set_status(session: Session, ids: Sequence[int], status: str, actor: User, now: datetime) -> BulkResult:
    require(actor, "work")
    return _each(
        session,
        "status",
        ids,
        actor,
        now,
        lambda c: actions.set_status(session, c, status, actor, now),
        {"to": status},
    )


def dismiss(session: Session, ids: Sequence[int], actor: User, now: datetime) -> BulkResult:
    """Dismiss the listening items among ``ids``; the customers' own conversations are refused."""
    require(actor, "work")
    return _each(
        session, "dismiss", ids, actor, now, lambda c: listening_items.dismiss(session, c, actor, now), {}
    )


def add_to_incident(
    session: Session, ids: Sequence[int], incident_id: int, actor: User, now: datetime
) -> BulkResult:
    """Put the conversations in an open incident; those already in an open incident are refused."""
    require(actor, "incidents")
    incident = lookup.open_one(session, incident_id)

    def one(conv_id: int) -> None:
        if session.get(Conversation, conv_id) is None:
            raise actions.DeskError(_("no conversation #{id}").format(id=conv_id))
        if not members.add(session, incident, [conv_id], actor, now):
            raise actions.DeskError(_("conversation #{id} is already in an open incident").format(id=conv_id))

    return _each(session, "incident", ids, actor, now, one, {"incident": incident_id})
