"""Satisfaction surveys: sent privately once per resolved conversation, answers read back, figures reported.

Flow, one step per automation tick, each in short transactions:
1. a resolved conversation that we answered (not a listening post) gets a ``waiting`` row due
   ``send_after_minutes`` later; the row is unique per conversation, so a conversation is surveyed once, ever;
2. when due and still resolved, the survey is queued in the outbox, private, under ``auto-survey:{id}``;
   reopened meanwhile, the row is dropped and the next resolution starts again; a customer who opted out
   (``inbox.privacy.opt_out``) is never surveyed (``opted_out``);
3. once delivered the row is ``sent``, and a DM conversation opened only to carry it is closed again;
4. the customer's next message after it (in that conversation, or a DM from them on that channel) is the
   answer if it holds a score in range (``answered``), else ``unanswered``; none in 7 days: ``expired``.
   A reply that is only a score reopens nothing: its conversation is resolved again.
``survey_figures`` gives the reports NPS, CSAT and CES for a period (by answer time).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, exists
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, func, select

from inbox.automation.auto_replies import ACTOR, SURVEY_KEY, automatic_text
from inbox.automation.survey_scores import SurveyFigures, figures, only_a_score, parse_score
from inbox.charter.model import Charter
from inbox.outbox import delivery as outbox
from inbox.privacy.opt_out import opted_out
from inbox.replies import composer
from inbox.store import records as store
from inbox.store.tables import Contact, Conversation, Message, OutboundReply, User
from inbox.store.tables.enforcement import SurveyRequest

log = logging.getLogger("inbox.automation.surveys")
ANSWER_WINDOW = timedelta(days=7)
_DB_BUSY = (IntegrityError, OperationalError)  # another listener did it first, or SQLite is busy: next tick


@dataclass
class SurveyReport:
    queued: int = 0
    sent: int = 0
    answered: int = 0


def _open_waiting(engine: Engine, charter: Charter, now: datetime) -> None:
    survey = charter.survey
    lookback = timedelta(minutes=survey.send_after_minutes) + timedelta(days=1)
    stmt = select(Conversation.id, Conversation.channel_id).where(
        Conversation.status == "resolved",
        col(Conversation.first_response_at).is_not(None),
        Conversation.kind != "listening",
        col(Conversation.last_message_at) >= now - lookback,
        ~exists().where(col(SurveyRequest.conversation_id) == col(Conversation.id)),
    )
    due = now + timedelta(minutes=survey.send_after_minutes)
    try:
        with Session(engine) as session, session.begin():
            for conversation_id, channel_id in session.exec(stmt).all():
                session.add(
                    SurveyRequest(
                        conversation_id=conversation_id or 0,
                        channel_id=channel_id,
                        kind=survey.kind,
                        due_at=due,
                        created_at=now,
                    )
                )
    except _DB_BUSY as exc:
        log.debug("survey rows: %s", exc)


def _text(
    session: Session, conv: Conversation, charter: Charter, templates: composer.TemplatesFile | None
) -> str | None:
    contact = session.get(Contact, conv.contact_id) if conv.contact_id else None
    agent = session.get(User, conv.assignee_id) if conv.assignee_id else None
    values = composer.known_values(
        customer_name=(contact.display_name or contact.handle) if contact else None,
        handle=contact.handle if contact else None,
        agent_name=(agent.display_name or agent.name) if agent else None,
        conversation_id=conv.id,
    )
    translated = charter.survey.template_for(conv.language)
    if translated != charter.survey.template and templates is not None and templates.get(translated or ""):
        return automatic_text(templates, translated, None, values)  # the customer's language
    return automatic_text(templates, charter.survey.template, charter.survey.text, values)


def _queue_due(
    engine: Engine,
    charter: Charter,
    templates: composer.TemplatesFile | None,
    now: datetime,
    report: SurveyReport,
) -> None:
    with Session(engine) as session:
        due = session.exec(
            select(SurveyRequest.id).where(
                SurveyRequest.status == "waiting", col(SurveyRequest.due_at) <= now
            )
        ).all()
    for survey_id in due:
        try:
            with Session(engine) as session, session.begin():
                row = session.get(SurveyRequest, survey_id)
                conv = session.get(Conversation, row.conversation_id) if row else None
                if row is None or conv is None or row.status != "waiting":
                    continue
                if conv.status != "resolved":
                    session.delete(row)  # reopened before the survey left: wait for the next resolution
                    continue
                if opted_out(session, conv.contact_id):
                    row.status = "opted_out"  # they wrote STOP: never surveyed
                    continue
                key = SURVEY_KEY.format(conv.id)
                text = _text(session, conv, charter, templates)
                try:
                    if not text:
                        raise outbox.NothingToAnswer("the charter's survey has no text")
                    outbox.enqueue(
                        session,
                        conv,
                        visibility="private",
                        text=text,
                        actor=ACTOR,
                        now=now,
                        idempotency_key=key,
                    )
                except outbox.NothingToAnswer as exc:
                    row.status = "failed"
                    log.warning("survey for conversation #%s not sent: %s", conv.id, exc)
                    continue
                row.status, row.reply_key = "queued", key
                report.queued += 1
        except _DB_BUSY as exc:
            log.debug("survey %s not queued this tick: %s", survey_id, exc)


def _close_carrier(session: Session, row: SurveyRequest, reply: OutboundReply) -> None:
    """Close the DM conversation the delivery opened only to carry the survey (no customer message in it)."""
    carrier = session.exec(
        select(Message.conversation_id).where(
            Message.channel_id == reply.channel_id, Message.platform_id == reply.platform_id
        )
    ).first()
    if carrier is None or carrier == row.conversation_id:
        return
    conv = session.get(Conversation, carrier)
    inbound = session.exec(
        select(func.count())
        .select_from(Message)
        .where(Message.conversation_id == carrier, Message.direction == "in")
    ).one()
    if conv is not None and conv.status == "open" and inbound == 0:
        conv.status = "resolved"


def _track_sent(engine: Engine, report: SurveyReport) -> None:
    try:
        with Session(engine) as session, session.begin():
            rows = session.exec(select(SurveyRequest).where(SurveyRequest.status == "queued")).all()
            for row in rows:
                reply = session.exec(
                    select(OutboundReply).where(OutboundReply.idempotency_key == row.reply_key)
                ).first()
                if reply is None or reply.status == "failed":
                    row.status = "failed"
                elif reply.status == "sent":
                    row.status, row.sent_at, row.recipient_id = "sent", reply.sent_at, reply.recipient_id
                    _close_carrier(session, row, reply)
                    report.sent += 1
    except _DB_BUSY as exc:
        log.debug("survey delivery not tracked this tick: %s", exc)


def _next_message(session: Session, row: SurveyRequest) -> Message | None:
    """The customer's first message after the survey, in its conversation or a DM from them."""
    mine = col(Message.conversation_id) == row.conversation_id
    their_dm = (col(Message.visibility) == "private") & (col(Message.author_platform_id) == row.recipient_id)
    stmt = (
        select(Message)
        .where(
            Message.channel_id == row.channel_id,
            Message.direction == "in",
            col(Message.created_at) > row.sent_at,
            mine | their_dm,
        )
        .order_by(col(Message.created_at), col(Message.id))
    )
    return session.exec(stmt).first()


def _settle(session: Session, message: Message, now: datetime) -> None:
    """A reply that is only a score does not reopen its conversation."""
    conv = session.get(Conversation, message.conversation_id)
    if conv is None or conv.status != "open" or not only_a_score(message.text):
        return
    later_out = conv.last_outbound_at is not None and conv.last_outbound_at > (message.created_at or now)
    if conv.last_inbound_at == message.created_at and not later_out:
        conv.status, conv.sla_due_at = "resolved", None
        store.audit(
            session,
            ACTOR,
            "conversation.status",
            target=("conversation", conv.id),
            detail={"from": "open", "to": "resolved", "why": "survey answer only"},
            at=now,
        )


def _read_answers(engine: Engine, now: datetime, report: SurveyReport) -> None:
    try:
        with Session(engine) as session, session.begin():
            for row in session.exec(select(SurveyRequest).where(SurveyRequest.status == "sent")).all():
                message = _next_message(session, row) if row.sent_at is not None else None
                if message is None:
                    if row.sent_at is None or row.sent_at < now - ANSWER_WINDOW:
                        row.status = "expired"
                    continue
                score = parse_score(message.text, row.kind)
                if score is None:
                    row.status, row.answer_message_id = "unanswered", message.id
                    continue
                row.status, row.score, row.answered_at, row.answer_message_id = (
                    "answered",
                    score,
                    message.created_at,
                    message.id,
                )
                store.audit(
                    session,
                    ACTOR,
                    "survey.answered",
                    target=("conversation", row.conversation_id),
                    detail={"kind": row.kind, "score": score},
                    at=now,
                )
                _settle(session, message, now)
                report.answered += 1
    except _DB_BUSY as exc:
        log.debug("survey answers not read this tick: %s", exc)


def run_surveys(
    engine: Engine, charter: Charter, templates: composer.TemplatesFile | None, now: datetime
) -> SurveyReport:
    """One tick of the survey flow (answers are read even when surveys have since been switched off)."""
    report = SurveyReport()
    _track_sent(engine, report)
    _read_answers(engine, now, report)
    if charter.survey.kind != "none":
        _open_waiting(engine, charter, now)
        _queue_due(engine, charter, templates, now, report)
    return report


@dataclass(frozen=True)
class SurveyPeriod:
    """Surveys sent and answered in a period, with the figures of each kind answered in it."""

    sent: int
    answered: int
    by_kind: dict[str, SurveyFigures] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.answered / self.sent, 1) if self.sent else None


def survey_figures(
    session: Session, start: datetime, end: datetime, *, channel_id: int | None = None
) -> SurveyPeriod:
    """Surveys sent in [start, end) and the scores answered in it: NPS, CSAT share of 4-5, CES mean."""
    in_channel = [SurveyRequest.channel_id == channel_id] if channel_id is not None else []
    sent = session.exec(
        select(func.count())
        .select_from(SurveyRequest)
        .where(col(SurveyRequest.sent_at) >= start, col(SurveyRequest.sent_at) < end, *in_channel)
    ).one()
    answers = session.exec(
        select(SurveyRequest.kind, SurveyRequest.score).where(
            SurveyRequest.status == "answered",
            col(SurveyRequest.answered_at) >= start,
            col(SurveyRequest.answered_at) < end,
            *in_channel,
        )
    ).all()
    by_kind: dict[str, list[int]] = {}
    for kind, score in answers:
        if score is not None:
            by_kind.setdefault(kind, []).append(score)
    return SurveyPeriod(sent, len(answers), {k: figures(k, v) for k, v in sorted(by_kind.items())})
