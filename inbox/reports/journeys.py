"""The period's conversations one by one, with their events: what the charter-target, goal and contact-centre
figures need (``targets_kpis``, ``goals_kpis``, ``contact_kpis``).

A journey is a conversation of the period's cohort (``queries.cohort``) with its customer messages and a
person's answers in time order (a private answer stored in its DM thread included, ``answers``; automatic
messages and a survey's settled answer left out, as everywhere),
each time it was set to resolved (audit trail) and whether a person moved it from public to private (a
private reply delivered in a public conversation). Session-taking, read-only; one query per kind of fact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import not_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inbox.charter.sla import SlaEvent, response_spans
from inbox.ingest.clocks import person_answer
from inbox.ingest.threads import AUTOMATIC_PREFIX, URGENCY_ORDER
from inbox.nlp.reasons import conversation_reason
from inbox.reports import queries
from inbox.reports.answers import answers_elsewhere
from inbox.reports.channel_filter import ChannelIds
from inbox.reports.follow_ups import survey_answers
from inbox.reports.period import Period
from inbox.reports.rows import ConversationFacts
from inbox.reports.tag_history import TagChange, tag_changes
from inbox.store.records import one_of
from inbox.store.tables import AuditEvent, Message, OutboundReply

CHUNK = 5000  # conversation ids per query


@dataclass(frozen=True, slots=True)
class Journey:
    facts: ConversationFacts
    events: tuple[SlaEvent, ...]  # customer messages and a person's answers, oldest first; empty when the
    # customer never wrote after the first answer (the facts then tell the only cycle)
    resolved_at: datetime | None  # the last time it was set to resolved, when resolved now
    moved_to_private: bool  # public, and a person's private reply to it was delivered
    resolutions: tuple[datetime, ...] = ()  # each time it was set to resolved, oldest first (with events)
    tag_changes: tuple[TagChange, ...] = ()  # its customer's tag changes, oldest first (with events)


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[n : n + CHUNK]) for n in range(0, len(ids), CHUNK)]


def _events(session: Session, ids: list[int]) -> dict[int, list[SlaEvent]]:
    m = Message
    stmt = (
        sa_select(
            col(m.conversation_id),
            col(m.created_at),
            col(m.direction),
            col(m.ingested_at),
            col(m.urgency),
            col(m.reason),
        )
        .where(
            one_of(session, col(m.conversation_id), ids),
            (col(m.direction) == "in") | person_answer(),
            not_(col(m.id).in_(survey_answers())),
        )
        .order_by(col(m.created_at), col(m.id))
    )
    out: dict[int, list[SlaEvent]] = defaultdict(list)
    for conv, at, direction, stored, urgency, reason in session.execute(stmt).all():
        if at is not None:
            out[conv].append(SlaEvent(at, "in" if direction == "in" else "out", stored, urgency, reason))
    in_dm_threads = answers_elsewhere().where(one_of(session, col(OutboundReply.conversation_id), ids))
    answered = session.exec(in_dm_threads).all()
    for conv, at in answered:
        out[conv].append(SlaEvent(at, "out"))
    for conv in {conv for conv, _at in answered}:
        out[conv].sort(key=lambda e: e.at)  # stable: same-instant messages keep their order
    return out


def _resolutions(session: Session, since: datetime, ids: set[int]) -> dict[int, list[datetime]]:
    """Each time each conversation of ``ids`` was set to resolved, oldest first: one range read of the audit
    trail from ``since`` (the period's start: a conversation is resolved after it arrived)."""
    to_resolved = col(AuditEvent.detail)["to"].as_string() == "resolved"
    stmt = (
        select(AuditEvent.target_id, AuditEvent.at)
        .where(
            col(AuditEvent.at) >= since,
            AuditEvent.action == "conversation.status",
            AuditEvent.target_type == "conversation",
            to_resolved,
        )
        .order_by(col(AuditEvent.at))
    )
    out: dict[int, list[datetime]] = defaultdict(list)
    for t, at in session.exec(stmt).all():
        if t is not None and at is not None and t.isdigit() and int(t) in ids:
            out[int(t)].append(at)
    return out


def _moved(session: Session, ids: list[int]) -> set[int]:
    r = OutboundReply
    stmt = select(r.conversation_id).where(
        one_of(session, col(r.conversation_id), ids),
        r.visibility == "private",
        r.status == "sent",
        r.action == "reply",
        not_(col(r.idempotency_key).startswith(AUTOMATIC_PREFIX)),
    )
    return set(session.exec(stmt).all())


def wrote_after_answer(f: ConversationFacts) -> bool:
    """The customer wrote again after the first answer: the conversation has next-response cycles."""
    answered, last = f.first_response_at, f.last_inbound_at
    return answered is not None and last is not None and last > answered


def cycles(j: Journey, now: datetime) -> list[tuple[datetime, datetime | None]]:
    """(first unanswered customer message, a person's answer or None) of each response cycle, oldest first;
    the first is the first response's. A resolution ends the cycle then waiting: what the customer wrote
    unanswered before it (a "thanks", or a first message closed unanswered) is not judged, and their next
    message starts a new cycle (after a first message closed unanswered: the first response's). A customer
    message written before a resolution but stored after it, and not answered before it, was not seen by it:
    it waits from its own time, as the queue's clock does (``inbox.ingest.threads.recompute``). A person's
    first answer that comes after the first message was resolved unanswered, with nothing waiting, is still
    the first response (``threads.on_outbound``): the first span is that message's, and the customer's next
    message starts a next-response cycle, as the queue's clock does."""
    if not j.events:
        return [(j.facts.first_wait_from, j.facts.first_response_at)]
    ends = [r for r in j.resolutions if r <= now]
    if not ends:
        return response_spans(j.events, now)
    spans: list[tuple[datetime, datetime | None]] = []
    waiting: datetime | None = None
    closed: datetime | None = None  # the first message's clock, when a resolution ended it unanswered
    answered: datetime | None = None
    marks = [(e.at, 0 if e.direction == "in" else 1) for e in j.events if e.at <= now]
    marks += [(r, 2) for r in ends]
    for at, what in sorted(marks):  # at one instant: the customer, then the answer, then the resolution
        if what == 0 and waiting is None:
            waiting = at
        elif what == 1:
            start = waiting if waiting is not None or spans else closed  # first answer after its clock closed
            if start is not None:
                spans.append((start, at))
            waiting, answered = None, at
        elif what == 2:
            if answered is None and waiting is not None:
                closed = waiting
            waiting = _unseen(j.events, at, answered)  # unanswered at it: not judged, unless it never saw it
    if waiting is not None:
        spans.append((waiting, None))
    return spans


def _unseen(events: Sequence[SlaEvent], resolved: datetime, answered: datetime | None) -> datetime | None:
    """The first customer message written by ``resolved``, after the last answer, but stored after it."""
    found = [
        e.at
        for e in events
        if e.direction == "in"
        and e.at <= resolved
        and (answered is None or e.at > answered)
        and e.stored_at is not None
        and e.stored_at > resolved
    ]
    return min(found, default=None)


def urgency_at(j: Journey, started: datetime) -> str | None:
    """The conversation's urgency when a clock started at ``started``: its most urgent customer message
    written by then (``inbox.ingest.threads.raise_urgency``), the first message's at least."""
    found = j.facts.arrival_urgency
    for e in j.events:
        if e.direction == "in" and e.at <= started and _rank(e.urgency) > _rank(found):
            found = e.urgency
    return found


def reason_at(j: Journey, started: datetime) -> str | None:
    """The conversation's contact reason when a clock started at ``started``, as the queue chose its target:
    the latest not ``other`` of the customer messages written by then (``conversation_reason``), each as
    classified now (an agent's correction included); the reason now when no message carries one."""
    found: str | None = None
    for e in j.events:
        if e.direction == "in" and e.at <= started:
            found = conversation_reason(found, e.reason)
    if found is None and not any(e.reason for e in j.events):
        return j.facts.reason
    return found


def _rank(urgency: str | None) -> int:
    return -1 if urgency is None else URGENCY_ORDER.get(urgency, 1)


def journeys(session: Session, period: Period, cid: ChannelIds) -> list[Journey]:
    """The cohort's conversations with their events, resolution time and move to private."""
    facts = queries.cohort(session, period, cid)
    events: dict[int, list[SlaEvent]] = {}
    moved: set[int] = set()
    asked = {f.id for f in facts if f.status == "resolved" or wrote_after_answer(f)}
    resolutions = _resolutions(session, period.start, asked)
    for chunk in _chunks([f.id for f in facts]):
        moved |= _moved(session, chunk)
    tags: dict[int, list[TagChange]] = {}
    for chunk in _chunks([f.id for f in facts if wrote_after_answer(f)]):
        events.update(_events(session, chunk))
        tags.update(tag_changes(session, chunk))
    return [
        Journey(
            f,
            tuple(events.get(f.id, [])),
            resolutions[f.id][-1] if f.status == "resolved" and resolutions.get(f.id) else None,
            f.visibility == "public" and f.id in moved,
            tuple(resolutions.get(f.id, ())) if f.id in events else (),
            tuple(tags.get(f.id, ())),
        )
        for f in facts
    ]
