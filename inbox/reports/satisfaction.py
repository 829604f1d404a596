"""Satisfaction (CSAT, NPS, CES) from the stored survey answers: overall, per channel, agent, template and
contact reason.

The cohort is the surveys **sent** in the period; each one's answer counts whenever it came (within the
survey's 7-day window), so the response rate is answered ÷ sent and never above 100 %. An answer is a score in
range; an opt-out (STOP) or a reply without a score is no answer. A survey is credited to the **agent** who
sent the last reply by a person in its conversation before it was sent (the answer it rates), and to every
**reply template** a person's reply delivered in that conversation before it started from
(``outbound_reply.template``; a conversation without one counts under no template), and to its conversation's
**contact reason** as the queue shows it now (``conversation.reason``, an agent's correction included;
"unclassified" without one: the rule of ``inbox.reports.by_reason``). The verbatims are the customers' replies
to the surveys, newest first. Figures: ``inbox.charter.survey_scales``. Session-taking, read-only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from inbox.charter.survey_scales import SurveyFigures, figures
from inbox.ingest.threads import AUTOMATIC_PREFIX
from inbox.reports.answers import from_the_app
from inbox.reports.channel_filter import ChannelIds, in_channels
from inbox.reports.period import Period
from inbox.reports.reasons import UNCLASSIFIED
from inbox.reports.stats import ratio
from inbox.store.records import one_of
from inbox.store.tables import Channel, Conversation, Message, OutboundReply, User
from inbox.store.tables.enforcement import SurveyRequest

VERBATIMS = 50  # the newest survey replies shown


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """One survey sent in the period, with what the groupings need."""

    conversation_id: int
    channel: str
    kind: str  # nps | csat | ces
    status: str
    score: int | None
    replied_at: datetime | None  # when the customer replied to the survey (a score or not)
    agent: str | None  # display name of the last person who replied in the conversation
    templates: tuple[str, ...]  # reply templates people started from in the conversation
    reply: str | None  # the customer's reply to the survey (a verbatim), if any
    reason: str = UNCLASSIFIED  # the conversation's contact reason now


@dataclass(frozen=True, slots=True)
class SatisfactionGroup:
    """The surveys of one kind in one group (a channel, agent, template or reason; ``None`` for all)."""

    group: str | None
    kind: str
    sent: int
    scores: SurveyFigures

    @property
    def answered(self) -> int:
        return self.scores.answers

    @property
    def figure(self) -> float | None:
        """The kind's headline figure: CSAT (% of 4 and 5), NPS (-100 to +100) or CES (mean effort)."""
        s = self.scores
        return s.csat if self.kind == "csat" else s.nps if self.kind == "nps" else s.ces

    @property
    def response_rate(self) -> float | None:
        return ratio(self.answered, self.sent)


@dataclass(frozen=True)
class Satisfaction:
    overall: list[SatisfactionGroup] = field(default_factory=list)
    by_channel: list[SatisfactionGroup] = field(default_factory=list)
    by_agent: list[SatisfactionGroup] = field(default_factory=list)
    by_template: list[SatisfactionGroup] = field(default_factory=list)
    by_reason: list[SatisfactionGroup] = field(default_factory=list)
    verbatims: list[SurveyRow] = field(default_factory=list)


def groups(
    rows: Iterable[SurveyRow], key: Callable[[SurveyRow], Iterable[str | None]]
) -> list[SatisfactionGroup]:
    """Per (group, kind): surveys sent and the figures of their scores. Pure."""
    sent: dict[tuple[str | None, str], int] = defaultdict(int)
    scores: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    for row in rows:
        for name in key(row):
            sent[(name, row.kind)] += 1
            if row.status == "answered" and row.score is not None:
                scores[(name, row.kind)].append(row.score)
    ordered = sorted(sent, key=lambda k: (k[0] is None, k[0] or "", k[1]))
    return [
        SatisfactionGroup(g, kind, sent[(g, kind)], figures(kind, scores[(g, kind)])) for g, kind in ordered
    ]


def satisfaction_of(rows: list[SurveyRow]) -> Satisfaction:
    """The groupings of the period's surveys. Pure."""
    replied = [r for r in rows if r.reply is not None and r.replied_at is not None]
    newest = sorted(replied, key=lambda r: (r.replied_at, r.conversation_id), reverse=True)
    return Satisfaction(
        overall=groups(rows, lambda r: [None]),
        by_channel=groups(rows, lambda r: [r.channel]),
        by_agent=groups(rows, lambda r: [r.agent]),
        by_template=groups(rows, lambda r: r.templates or (None,)),
        by_reason=groups(rows, lambda r: [r.reason]),
        verbatims=newest[:VERBATIMS],
    )


def _agents(session: Session, surveyed: dict[int, datetime]) -> dict[int, str]:
    """Per conversation: the display name of the person whose reply was delivered last before its survey was
    sent (``surveyed``: conversation -> sent at; a reply after it is no answer the survey rated), none when a
    later answer before it was posted from the platform's own app (``answers.from_the_app``)."""
    conversation_ids = list(surveyed)
    stmt = (
        select(OutboundReply.conversation_id, OutboundReply.created_by, OutboundReply.sent_at)
        .where(
            one_of(session, col(OutboundReply.conversation_id), conversation_ids),
            OutboundReply.status == "sent",
            OutboundReply.action == "reply",
            col(OutboundReply.created_by).is_not(None),
            ~col(OutboundReply.idempotency_key).startswith(AUTOMATIC_PREFIX),
        )
        .order_by(col(OutboundReply.sent_at), col(OutboundReply.id))
    )
    last = {
        conv: (actor, at)
        for conv, actor, at in session.exec(stmt).all()
        if actor and at and _utc(at) <= surveyed[conv]
    }
    app = select(Message.conversation_id, Message.created_at).where(
        one_of(session, col(Message.conversation_id), list(last)), from_the_app()
    )
    for conv, at in session.exec(app).all() if last else []:
        if conv in last and at is not None and _utc(last[conv][1]) < _utc(at) <= surveyed[conv]:
            del last[conv]  # the last word was posted from the platform's own app: nobody's here
    names = dict(session.exec(select(User.name, User.display_name)).all())
    return {conv: names.get(actor) or actor for conv, (actor, _at) in last.items()}


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _templates(session: Session, surveyed: dict[int, datetime]) -> dict[int, tuple[str, ...]]:
    """Per conversation: the reply templates people started from in its replies delivered before its survey
    was sent (``surveyed``: conversation -> sent at; the replies the survey rates)."""
    stmt = select(OutboundReply.conversation_id, OutboundReply.template, OutboundReply.sent_at).where(
        one_of(session, col(OutboundReply.conversation_id), list(surveyed)),
        OutboundReply.status == "sent",
        col(OutboundReply.template).is_not(None),
    )
    found: dict[int, set[str]] = defaultdict(set)
    for conv, name, at in session.exec(stmt).all():
        if name and at is not None and _utc(at) <= surveyed[conv]:
            found[conv].add(name)
    return {conv: tuple(sorted(names)) for conv, names in found.items()}


def survey_rows(session: Session, period: Period, cid: ChannelIds) -> list[SurveyRow]:
    """The surveys sent in the period (on the channels ``cid``), each with its agent, templates, reply and the
    contact reason of its conversation."""
    s = SurveyRequest
    stmt = (
        columns(
            *(
                col(c)
                for c in (
                    s.conversation_id,
                    Channel.name,
                    s.kind,
                    s.status,
                    s.score,
                    Message.created_at,
                    Message.text,
                    Conversation.reason,
                    s.sent_at,
                )
            )
        )
        .select_from(SurveyRequest)
        .join(Channel, col(Channel.id) == col(s.channel_id))
        .outerjoin(Conversation, col(Conversation.id) == col(s.conversation_id))
        .outerjoin(Message, col(Message.id) == col(s.answer_message_id))
        .where(col(s.sent_at) >= period.start, col(s.sent_at) < period.end)
        .order_by(col(s.sent_at), col(s.id))
    )
    stmt = stmt.where(*in_channels(s.channel_id, cid))
    found = [tuple(row) for row in session.connection().execute(stmt)]
    ids = [row[0] for row in found]
    surveyed = {row[0]: _utc(row[-1]) for row in found}  # one survey per conversation at most
    agents, templates = (_agents(session, surveyed), _templates(session, surveyed)) if ids else ({}, {})
    return [
        SurveyRow(
            conv,
            channel,
            kind,
            status,
            score,
            at,
            agents.get(conv),
            templates.get(conv, ()),
            text,
            reason or UNCLASSIFIED,
        )
        for conv, channel, kind, status, score, at, text, reason, _sent in found
    ]


def satisfaction(session: Session, period: Period, cid: ChannelIds) -> Satisfaction:
    return satisfaction_of(survey_rows(session, period, cid))
