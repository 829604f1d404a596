"""The reports' SQL: every query is a time range on an indexed column (or the live queue index) and counts
in the database where it can. Session-taking, read-only; rows come out as ``inbox.reports.rows``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func
from sqlalchemy import select as columns
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from inbox.desk.clocks import clock_start
from inbox.desk.queue import last_messages
from inbox.reports.answers import person_replies
from inbox.reports.channel_filter import ChannelIds, Channels, channel_ids, in_channels
from inbox.reports.follow_ups import last_customer_message
from inbox.reports.period import Period, whole_hour_offsets
from inbox.reports.rows import (
    UNCLASSIFIED,
    AgentCounts,
    AgentEvent,
    BacklogCount,
    ConversationFacts,
    HourCount,
    OpenConversation,
)
from inbox.reports.sqltime import as_utc, from_quarter, quarter_hour, utc_hour
from inbox.store.tables import AuditEvent, Channel, Contact, Conversation, Message, User

WAITING_STATUS = "open"  # pending (snoozed) conversations have left the queue and the running clocks
LIVE_LIMIT = 5000  # breached clocks read for the breached list, soonest due first (counted all the same)
COMING_LIMIT = 50_000  # clocks not yet due read to find those at risk: every one, but for a runaway backlog


def _rows(session: Session, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """Plain column rows (no ORM objects), in the session's transaction."""
    return [tuple(row) for row in session.connection().execute(stmt)]


def _columns(*items: Any) -> Select[Any]:
    return columns(*(col(i) if not isinstance(i, ColumnElement) else i for i in items))


def channel_names(session: Session) -> list[str]:
    return sorted(session.exec(select(Channel.name)).all())


def channel_names_by_id(session: Session) -> dict[int, str]:
    return {cid: name for cid, name in _rows(session, _columns(Channel.id, Channel.name)) if cid is not None}


def channel_id(session: Session, channels: Channels) -> ChannelIds:
    """The ids of ``channels`` (``channel_filter.channel_ids``): None for all channels, -1 for an unknown
    name (matches nothing)."""
    return channel_ids(session, channels)


def _arrived(period: Period, cid: ChannelIds) -> Any:
    """Ids of conversations with a customer message in the period (served by the message time index)."""
    stmt = select(Message.conversation_id).where(
        Message.direction == "in",
        col(Message.created_at) >= period.start,
        col(Message.created_at) < period.end,
    )
    return stmt.where(*in_channels(Message.channel_id, cid))


def cohort(
    session: Session, period: Period, cid: ChannelIds, *where: ColumnElement[bool]
) -> list[ConversationFacts]:
    """Conversations whose first customer message arrived in the period (and meet ``where``), one row each:
    for drill-downs and the few conversations SQL cannot judge, not for counting a whole period."""
    first_urgency = (
        select(Message.urgency)
        .where(Message.conversation_id == Conversation.id, Message.direction == "in")
        .order_by(col(Message.created_at), col(Message.id))
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )
    replies = person_replies()
    c = Conversation
    stmt = (
        _columns(
            c.id,
            Channel.name,
            Channel.platform,
            c.kind,
            c.visibility,
            c.status,
            c.first_inbound_at,
            c.first_response_at,
            last_customer_message(),
            c.last_outbound_at,
            c.sla_due_at,
            first_urgency,
            cast(Contact.tags, String),  # the JSON text, decoded once per distinct list (most are "[]")
            replies,
            c.first_response_due_at,
            c.reason,
            c.first_clock_at,
        )
        .join(Channel, col(Channel.id) == col(c.channel_id))
        .outerjoin(Contact, col(Contact.id) == col(c.contact_id))
        .where(
            col(c.id).in_(_arrived(period, cid)),
            col(c.first_inbound_at) >= period.start,
            col(c.first_inbound_at) < period.end,
            *where,
        )
        .order_by(col(c.first_inbound_at), col(c.id))
    )
    out, tag_lists = [], TagLists()
    for row in _rows(session, stmt):
        tags, n_replies = tag_lists.of(row[12]), row[13]
        out.append(
            ConversationFacts(
                id=row[0],
                channel=row[1],
                platform=row[2],
                kind=row[3],
                visibility=row[4],
                status=row[5],
                first_inbound_at=row[6],
                first_response_at=row[7],
                last_inbound_at=row[8],
                last_outbound_at=row[9],
                sla_due_at=row[10],
                arrival_urgency=row[11],
                tags=tags,
                brand_replies=int(n_replies or 0),
                first_response_due_at=row[14],
                reason=row[15],
                first_clock_at=row[16],
            )
        )
    return out


class TagLists:
    """A customer's tags from their JSON text, lower-cased, each distinct text decoded once."""

    def __init__(self) -> None:
        self._seen: dict[str | None, tuple[str, ...]] = {}

    def of(self, text: str | None) -> tuple[str, ...]:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = tuple(t.lower() for t in (json.loads(text) if text else None) or [])
        return found


def hour_counts(session: Session, period: Period, cid: ChannelIds) -> list[HourCount]:
    """Customer messages per channel, UTC hour and sentiment, counted by the database from the
    ``ix_message_volume`` index alone; per UTC quarter hour when the period's zone is not a whole number of
    hours from UTC (UTC+05:30: local hours start at half past), so they add up to local hours and days."""
    whole = whole_hour_offsets(period)
    hour = utc_hour(col(Message.created_at)) if whole else quarter_hour(col(Message.created_at))
    stmt = (
        _columns(Message.channel_id, hour, Message.sentiment, func.count())
        .where(
            col(Message.direction) == "in",
            col(Message.created_at) >= period.start,
            col(Message.created_at) < period.end,
        )
        .group_by(col(Message.channel_id), hour, col(Message.sentiment))
    )
    stmt = stmt.where(*in_channels(Message.channel_id, cid))
    names = channel_names_by_id(session)
    return [
        HourCount(as_utc(h) if whole else from_quarter(h), names[channel], sentiment or UNCLASSIFIED, int(n))
        for channel, h, sentiment, n in _rows(session, stmt)
    ]


def _waiting(cid: ChannelIds) -> list[ColumnElement[bool]]:
    """Waiting for an answer: open (not pending or snoozed, not resolved) with its response clock running,
    as the queue and the peak plan (``inbox.charter.open_clocks``) count it."""
    conds: list[ColumnElement[bool]] = [
        col(Conversation.status) == WAITING_STATUS,
        col(Conversation.sla_due_at).is_not(None),
        *in_channels(Conversation.channel_id, cid),
    ]
    return conds


def backlog(session: Session, cid: ChannelIds) -> list[BacklogCount]:
    """Conversations waiting for an answer, counted per channel and urgency by the database."""
    stmt = (
        select(Channel.name, Conversation.urgency, func.count())
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .where(*_waiting(cid))
        .group_by(Channel.name, col(Conversation.urgency))
    )
    return [
        BacklogCount(name, urgency or UNCLASSIFIED, int(n)) for name, urgency, n in session.exec(stmt).all()
    ]


def late_count(session: Session, cid: ChannelIds, now: datetime) -> int:
    """Running clocks past their due time at ``now`` (breached), counted by the database."""
    stmt = (
        select(func.count())
        .select_from(Conversation)
        .where(*_waiting(cid), col(Conversation.sla_due_at) < now)
    )
    return int(session.exec(stmt).one())


def open_clocks(
    session: Session,
    cid: ChannelIds,
    limit: int | None = None,
    *,
    due_before: datetime | None = None,
    due_from: datetime | None = None,
) -> list[OpenConversation]:
    """The running clocks (due before ``due_before``, or at or after ``due_from``, when given), soonest due
    first, ``limit`` of them (default ``LIVE_LIMIT``), with the newest message's first line of each."""
    c = Conversation
    bounds = [col(c.sla_due_at) < due_before] if due_before is not None else []
    bounds += [col(c.sla_due_at) >= due_from] if due_from is not None else []
    stmt = (
        _columns(
            c.id,
            Channel.name,
            Channel.platform,
            c.kind,
            c.visibility,
            c.urgency,
            Contact.handle,
            Contact.tags,
            User.name,
            User.display_name,
            clock_start(),
            c.first_response_at,
            c.sla_due_at,
            c.first_inbound_at,
            c.reason,
        )
        .join(Channel, col(Channel.id) == col(c.channel_id))
        .outerjoin(Contact, col(Contact.id) == col(c.contact_id))
        .outerjoin(User, col(User.id) == col(c.assignee_id))
        .where(*_waiting(cid), *bounds)
        .order_by(col(c.sla_due_at), col(c.id))
        .limit(LIVE_LIMIT if limit is None else limit)
    )
    found = _rows(session, stmt)
    snippets = last_messages(session, [row[0] for row in found])
    out = []
    for row in found:
        conv_id, channel, platform, kind, visibility, urgency, handle, tags, user, display = row[:10]
        started, first_response, due, arrived, reason = row[10:]
        out.append(
            OpenConversation(
                id=conv_id,
                channel=channel,
                platform=platform,
                kind=kind,
                visibility=visibility,
                urgency=urgency,
                handle=handle,
                tags=tuple(t.lower() for t in (tags or [])),
                assignee=(display or user) if user else None,
                clock_start=started,
                sla_due_at=due,
                answered_before=first_response is not None,
                snippet=snippets.get(conv_id, ""),
                first_inbound_at=arrived,
                reason=reason,
            )
        )
    return out


def _audit(action: str, start: datetime, end: datetime, cid: ChannelIds) -> Any:
    stmt = select(AuditEvent).where(
        AuditEvent.action == action, col(AuditEvent.at) >= start, col(AuditEvent.at) < end
    )
    if cid is not None:
        in_channel = select(cast(Conversation.id, String)).where(*in_channels(Conversation.channel_id, cid))
        stmt = stmt.where(AuditEvent.target_type == "conversation", col(AuditEvent.target_id).in_(in_channel))
    return stmt


def _per_actor(session: Session, stmt: Any) -> dict[str, int]:
    sub = stmt.subquery()
    rows = session.exec(select(sub.c.actor, func.count(func.distinct(sub.c.target_id))).group_by(sub.c.actor))
    return {actor: int(n) for actor, n in rows.all()}


def agent_counts(session: Session, period: Period, cid: ChannelIds) -> AgentCounts:
    """Replies delivered (``reply.sent``) and conversations resolved, per actor, counted by the database."""
    sent_stmt = _audit("reply.sent", period.start, period.end, cid)
    sent_sub = sent_stmt.subquery()
    sent = {
        actor: int(n)
        for actor, n in session.exec(select(sent_sub.c.actor, func.count()).group_by(sent_sub.c.actor)).all()
    }
    to_resolved = col(AuditEvent.detail)["to"].as_string() == "resolved"
    resolved = _per_actor(
        session, _audit("conversation.status", period.start, period.end, cid).where(to_resolved)
    )
    users = session.exec(select(User.name, User.display_name)).all()
    return AgentCounts(sent, resolved, {name: display or name for name, display in users})


def agent_events(session: Session, period: Period, cid: ChannelIds, lookback: timedelta) -> list[AgentEvent]:
    """Replies queued in the period, and the openings, replies and customer messages before them that
    may start their handling (``lookback`` earlier at most), for the conversations replied to."""
    start = period.start - lookback
    queued = _audit("reply.queued", period.start, period.end, cid).subquery()
    replied = select(queued.c.target_id)
    out: list[AgentEvent] = []
    for action, kind in (("reply.queued", "reply"), ("conversation.viewed", "view")):
        stmt = _audit(action, start, period.end, None).where(col(AuditEvent.target_id).in_(replied))
        out += [AgentEvent(e.at, kind, e.actor, int(e.target_id)) for e in session.exec(stmt).all()]
    ids = sorted({e.conversation_id for e in out})
    out += [
        AgentEvent(at, "customer", "", conv_id)
        for conv_id, at in _customer_times(session, ids, start, period.end)
    ]
    return out


def _customer_times(
    session: Session, ids: Sequence[int], start: datetime, end: datetime
) -> list[tuple[int, datetime]]:
    rows: list[tuple[int, datetime]] = []
    for n in range(0, len(ids), 500):
        stmt = select(Message.conversation_id, Message.created_at).where(
            col(Message.conversation_id).in_(ids[n : n + 500]),
            Message.direction == "in",
            col(Message.created_at) >= start,
            col(Message.created_at) < end,
        )
        rows += [(cid, at) for cid, at in session.exec(stmt).all() if at is not None]
    return rows
