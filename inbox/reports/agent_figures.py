"""One agent's own figures for a period, each recomputed from stored events (counts and times, no grade).

- replies sent: their replies delivered in the period (``reply.sent`` audits), per local day too;
- conversations resolved: the conversations they set to resolved in the period;
- handling time: for each reply they queued in the period, the time from when they began on it
  (``kpis.handling_times``: their opening of the conversation, their previous reply, the customer's last
  message) to the reply; median and 90th percentile;
- first responses on time: the conversations whose first answer by a person was delivered in the period and
  was theirs (the earliest ``reply.sent`` of the conversation; an automatic message is no one's), and of
  those, the ones answered at or before the due time stored at arrival, as the SLA report judges them. A
  conversation nobody answered is credited to nobody: it shows on the dashboard, not against a person;
- satisfaction: the surveys sent in the period after conversations whose last reply by a person was theirs
  (``inbox.reports.satisfaction``'s rule), per survey kind, with the answers' figures.

Session-taking, read-only. Seeing someone else's figures needs the ``figures`` permission (managers, admins).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import not_, or_
from sqlmodel import Session, col, select

from inbox.access import Actor, require
from inbox.ingest.threads import AUTOMATIC_PREFIX
from inbox.reports import kpis, queries
from inbox.reports.answers import from_the_app
from inbox.reports.period import Period, local_day
from inbox.reports.satisfaction import SatisfactionGroup, groups, survey_rows
from inbox.reports.stats import median, minutes, nearest_rank, ratio
from inbox.store.records import one_of
from inbox.store.tables import AuditEvent, Conversation, Message, OutboundReply, User

CHUNK = 500


@dataclass(frozen=True, slots=True)
class AgentFigures:
    agent: str
    display_name: str
    replies_sent: int
    resolved: int
    handling_minutes: tuple[float, ...]  # one per reply measured
    first_responses: int  # conversations whose first answer was theirs, delivered in the period
    first_responses_on_time: int
    replies_by_day: dict[date, int]  # every day of the period, local
    satisfaction: list[SatisfactionGroup] = field(default_factory=list)  # one per survey kind sent

    @property
    def handling_median(self) -> float | None:
        return median(self.handling_minutes)

    @property
    def handling_p90(self) -> float | None:
        return nearest_rank(self.handling_minutes, 90)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.first_responses_on_time, self.first_responses)


def team_members(session: Session) -> list[tuple[str, str]]:
    """(sign-in name, name shown) of every account, active ones first, then by name shown."""
    rows = session.exec(select(User.name, User.display_name, User.active)).all()
    ordered = sorted(rows, key=lambda r: (not r[2], (r[1] or r[0]).casefold()))
    return [(name, display or name) for name, display, _active in ordered]


def _sent_times(session: Session, agent: str, period: Period) -> list[datetime]:
    stmt = select(AuditEvent.at).where(
        AuditEvent.action == "reply.sent",
        AuditEvent.actor == agent,
        col(AuditEvent.at) >= period.start,
        col(AuditEvent.at) < period.end,
    )
    return [at for at in session.exec(stmt).all() if at is not None]


def _first_responders(session: Session, ids: list[int]) -> dict[int, str]:
    """Per conversation: who sent its earliest reply delivered through the inbox. The charter's automatic
    messages (outbox key ``auto-``) are no one's reply, whoever their ``reply.sent`` names."""
    first: dict[int, tuple[datetime, int, str]] = {}
    reply_id = col(AuditEvent.detail)["reply"].as_integer()
    automatic = col(OutboundReply.idempotency_key).startswith(AUTOMATIC_PREFIX)
    for n in range(0, len(ids), CHUNK):
        stmt = (
            select(AuditEvent.target_id, AuditEvent.at, AuditEvent.id, AuditEvent.actor)
            .outerjoin(OutboundReply, col(OutboundReply.id) == reply_id)
            .where(
                AuditEvent.action == "reply.sent",
                AuditEvent.target_type == "conversation",
                one_of(session, col(AuditEvent.target_id), [str(i) for i in ids[n : n + CHUNK]]),
                or_(col(OutboundReply.idempotency_key).is_(None), not_(automatic)),
            )
        )
        for target, at, event_id, actor in session.exec(stmt).all():
            if target is None or at is None or event_id is None:
                continue
            key = int(target)
            if key not in first or (at, event_id) < first[key][:2]:
                first[key] = (at, event_id, actor)
    return {conv: actor for conv, (_at, _id, actor) in first.items()}


def _answered_from_the_app(session: Session, ids: list[int]) -> set[int]:
    """The conversations whose first response was posted from the platform's own app: nobody's here."""
    m = Message
    found: set[int] = set()
    for n in range(0, len(ids), CHUNK):
        stmt = (
            select(m.conversation_id)
            .join(Conversation, col(Conversation.id) == col(m.conversation_id))
            .where(
                one_of(session, col(m.conversation_id), ids[n : n + CHUNK]),
                from_the_app(),
                col(m.created_at) == col(Conversation.first_response_at),
            )
        )
        found.update(i for i in session.exec(stmt).all() if i is not None)
    return found


def _first_responses(session: Session, agent: str, period: Period) -> tuple[int, int]:
    """(first responses that were the agent's, those on time) among the period's first responses."""
    c = Conversation
    stmt = select(c.id, c.first_response_at, c.first_response_due_at).where(
        col(c.first_response_at) >= period.start,
        col(c.first_response_at) < period.end,
        col(c.first_response_due_at).is_not(None),
    )
    rows = [
        (i, at, due)
        for i, at, due in session.exec(stmt).all()
        if i is not None and at is not None and due is not None
    ]
    ids = [i for i, _at, _due in rows]
    responders, elsewhere = _first_responders(session, ids), _answered_from_the_app(session, ids)
    theirs = [(at, due) for i, at, due in rows if responders.get(i) == agent and i not in elsewhere]
    return len(theirs), sum(1 for at, due in theirs if at <= due)


def agent_figures(session: Session, viewer: Actor, agent: str, period: Period) -> AgentFigures:
    """``agent``'s figures over ``period``; PermissionDenied when ``viewer`` is someone else without the
    ``figures`` permission."""
    if viewer.name != agent:
        require(viewer, "figures")
    counts = queries.agent_counts(session, period, None)
    events = queries.agent_events(session, period, None, kpis.HANDLING_LOOKBACK)
    handling = kpis.handling_times([e for e in events if e.actor in (agent, "")], period)
    sent = Counter(local_day(at, period.tz) for at in _sent_times(session, agent, period))
    first, on_time = _first_responses(session, agent, period)
    shown = counts.display_names.get(agent, agent)
    surveys = [r for r in survey_rows(session, period, None) if r.agent == shown]
    return AgentFigures(
        agent=agent,
        display_name=shown,
        replies_sent=counts.replies_sent.get(agent, 0),
        resolved=counts.resolved.get(agent, 0),
        handling_minutes=tuple(minutes(t) for t in handling.get(agent, [])),
        first_responses=first,
        first_responses_on_time=on_time,
        replies_by_day={day: sent.get(day, 0) for day in period.days()},
        satisfaction=groups(surveys, lambda r: [None]),
    )
