"""Two conversations of one customer thread become one: a WhatsApp customer who wrote from their new number
before the platform said the number changed, a Telegram group's members who wrote in its supergroup before
the inbox learnt of the upgrade. Session-taking, never commits.

Rule: the conversation that already held the thread (``keep``) takes everything of the other (``gone``), which
is then deleted: its messages, outbox replies, notes, classification corrections, notifications, escalation
alerts, incident memberships, survey, presence and send guard (a row both already hold, the same alert or
incident, stays once; a second survey request is dropped, so no customer is surveyed twice), and the audit
trail's history of it, so its status changes (a resolution) still stop its clocks and date its resolution.
It keeps its assignee, else takes the other's; tags are joined; status and snooze are those of the one the
customer or the team touched last; urgency the higher; reason, sentiment and language follow the messages in
written order. Its clocks are then worked out again from all the messages in time order (``clocks``): each
message's clock once, the first response the earliest message's (its due time as stored at its arrival).
Nothing is doubled: each message, reply and note is the same row, only re-attached.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from inbox.ingest import conversation_fields
from inbox.ingest.clocks import recompute_stored
from inbox.ingest.threads import DueFn, raise_urgency
from inbox.store.tables import AuditEvent, Conversation, Message, OutboundReply
from inbox.store.tables.corrections import ClassificationCorrection
from inbox.store.tables.desk import Note, Presence, ReplyGuard
from inbox.store.tables.enforcement import EscalationAlert, SurveyRequest
from inbox.store.tables.incidents import IncidentMember
from inbox.store.tables.notifications import AgentNotification

MOVED: tuple[Any, ...] = (Message, OutboundReply, Note, ClassificationCorrection, AgentNotification)
ONCE: tuple[tuple[Any, str], ...] = (  # rows unique per conversation and this column
    (Presence, "user_id"),
    (EscalationAlert, "key"),
    (IncidentMember, "incident_id"),
)
SINGLE: tuple[Any, ...] = (ReplyGuard, SurveyRequest)  # one row per conversation at most


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def _rows(session: Session, keep: int, gone: int) -> dict[str, int]:
    """Re-attach ``gone``'s rows to ``keep``; how many were dropped as already held."""
    dropped = 0
    for table in MOVED:
        session.execute(update(table).where(table.conversation_id == gone).values(conversation_id=keep))
    for table, column in ONCE:
        held = select(getattr(table, column)).where(table.conversation_id == keep)
        gone_rows = delete(table).where(table.conversation_id == gone, getattr(table, column).in_(held))
        dropped += session.execute(gone_rows).rowcount or 0  # type: ignore[attr-defined]
        session.execute(update(table).where(table.conversation_id == gone).values(conversation_id=keep))
    surveys = 0
    for table in SINGLE:
        if session.exec(select(table).where(table.conversation_id == keep)).first() is not None:
            gone_row = delete(table).where(table.conversation_id == gone)
            count = session.execute(gone_row).rowcount or 0  # type: ignore[attr-defined]
            surveys += count if table is SurveyRequest else 0
        else:
            session.execute(update(table).where(table.conversation_id == gone).values(conversation_id=keep))
    a = AuditEvent
    session.execute(
        update(a)
        .where(col(a.target_type) == "conversation", col(a.target_id) == str(gone))
        .values(target_id=str(keep))
    )
    return {"dropped": dropped, "surveys_dropped": surveys}


def _fields(keep: Conversation, gone: Conversation) -> None:
    keep.assignee_id = keep.assignee_id if keep.assignee_id is not None else gone.assignee_id
    keep.contact_id = keep.contact_id if keep.contact_id is not None else gone.contact_id
    keep.tags = list(dict.fromkeys([*(keep.tags or []), *(gone.tags or [])]))
    raise_urgency(keep, gone.urgency)
    last_keep, last_gone = _aware(keep.last_message_at), _aware(gone.last_message_at)
    if last_gone is not None and (last_keep is None or last_gone > last_keep):
        keep.status, keep.snoozed_until = gone.status, gone.snoozed_until
    first_keep, first_gone = _aware(keep.first_inbound_at), _aware(gone.first_inbound_at)
    if first_gone is not None and (first_keep is None or first_gone < first_keep):
        keep.first_inbound_at, keep.first_response_due_at = gone.first_inbound_at, gone.first_response_due_at


def merge(session: Session, keep: Conversation, gone: Conversation, due: DueFn) -> dict[str, int]:
    """Merge ``gone`` into ``keep`` (the module's rule), ``due`` the due policy of ``keep``'s channel and
    customer; what the merge dropped as already held (for the audit)."""
    assert keep.id is not None and gone.id is not None and keep.id != gone.id
    session.flush()
    dropped = _rows(session, keep.id, gone.id)
    _fields(keep, gone)
    session.delete(gone)
    session.flush()
    session.expire_all()  # the rows moved by UPDATE: read them again
    conversation_fields.in_time_order(session, [keep])
    conversation_fields.languages(session, [keep])
    recompute_stored(session, [keep], lambda _c: due)
    session.add(keep)
    return dropped
