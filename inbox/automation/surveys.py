"""Satisfaction surveys: sent privately once per resolved conversation, answers read back.

Several surveys may run at once (``Charter.survey_runs``: e.g. NPS once a quarter per customer, CSAT after
every DM); each kind once. Flow, one step per automation tick, each in short transactions:
1. a resolved conversation that a person answered (not a listening post) gets a ``waiting`` row of the first
   survey that follows it (its kinds, channels, and no survey of that kind to the customer or a linked account
   in its ``once_per_customer_days``), due ``send_after_minutes`` later; the row is unique per conversation,
   so a conversation is surveyed once, ever, and its answer is never ambiguous;
2. when due and still resolved, the survey is queued in the outbox, private, under ``auto-survey:{id}``;
   reopened meanwhile, the row is dropped and the next resolution starts again; a customer who opted out
   (``inbox.privacy.opt_out``) is never surveyed (``opted_out``);
3. once delivered the row is ``sent``, and a DM conversation opened only to carry it is closed again;
4. the customer's next message after it (in that conversation, or a DM from them on that channel) is the
   answer if it holds a score in range (``answered``); an opt-out phrase (STOP, non merci) is ``opted_out``
   (``inbox.privacy.opt_out`` records and audits the opt-out itself); else ``unanswered``; none in 7 days:
   ``expired``. A reply that is only a score or an opt-out reopens nothing: ingestion reopened its
   conversation (unaudited), so it is put back as it was, resolved with no clock, and no resolution is audited
   (the reports' "last time set to resolved" stays the agent's); the reports never count it as the customer
   writing again (``answer_message_id``).
The figures are the reports' (``inbox.reports.satisfaction``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, exists
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, func, select

from inbox.automation.auto_replies import ACTOR, SURVEY_KEY, automatic_text
from inbox.automation.survey_scores import only_a_score, parse_score
from inbox.charter.model import Charter
from inbox.charter.policies import Survey
from inbox.charter.targets import charter_kind
from inbox.outbox import delivery as outbox
from inbox.privacy.opt_out import is_opt_out, linked_accounts, opted_out
from inbox.replies import composer
from inbox.replies.names import unread_name
from inbox.store import records as store
from inbox.store.tables import Channel, Contact, Conversation, Message, OutboundReply, User
from inbox.store.tables.enforcement import SurveyRequest

log = logging.getLogger("inbox.automation.surveys")
ANSWER_WINDOW = timedelta(days=7)
_DB_BUSY = (IntegrityError, OperationalError)  # another listener did it first, or SQLite is busy: next tick


@dataclass
class SurveyReport:
    queued: int = 0
    sent: int = 0
    answered: int = 0


def _surveyed_lately(session: Session, run: Survey, contact_id: int | None, now: datetime) -> bool:
    """The customer (or a linked account) got a survey of this kind in its ``once_per_customer_days``."""
    if run.once_per_customer_days is None or contact_id is None:
        return False
    since = now - timedelta(days=run.once_per_customer_days)
    theirs = select(Conversation.id).where(
        col(Conversation.contact_id).in_(linked_accounts(session, contact_id))
    )
    stmt = select(SurveyRequest.id).where(
        SurveyRequest.kind == run.kind,
        col(SurveyRequest.created_at) >= since,
        col(SurveyRequest.conversation_id).in_(theirs),
    )
    return session.exec(stmt).first() is not None


def survey_for(session: Session, charter: Charter, conv: Conversation, now: datetime) -> Survey | None:
    """The first survey run that follows this conversation, or None."""
    channel = session.get(Channel, conv.channel_id)
    kind = charter_kind(conv.kind, conv.visibility)
    for run in charter.survey_runs():
        if not run.follows(kind, channel.name if channel else "", channel.platform if channel else None):
            continue
        if not _surveyed_lately(session, run, conv.contact_id, now):
            return run
    return None


def _open_waiting(engine: Engine, charter: Charter, now: datetime) -> None:
    runs = charter.survey_runs()
    longest = max(run.send_after_minutes for run in runs)
    lookback = timedelta(minutes=longest) + timedelta(days=1)
    stmt = select(Conversation).where(
        Conversation.status == "resolved",
        col(Conversation.first_response_at).is_not(None),
        Conversation.kind != "listening",
        col(Conversation.last_message_at) >= now - lookback,
        ~exists().where(col(SurveyRequest.conversation_id) == col(Conversation.id)),
    )
    try:
        with Session(engine) as session, session.begin():
            for conv in session.exec(stmt).all():
                run = survey_for(session, charter, conv, now)
                if run is None:
                    continue
                session.add(
                    SurveyRequest(
                        conversation_id=conv.id or 0,
                        channel_id=conv.channel_id,
                        kind=run.kind,
                        due_at=now + timedelta(minutes=run.send_after_minutes),
                        created_at=now,
                    )
                )
                session.flush()  # the next conversation of the same customer sees this one
    except _DB_BUSY as exc:
        log.debug("survey rows: %s", exc)


def _run_of(charter: Charter, kind: str) -> Survey | None:
    return next((run for run in charter.survey_runs() if run.kind == kind), None)


def _text(
    session: Session, conv: Conversation, survey: Survey, templates: composer.TemplatesFile | None
) -> str | None:
    contact = session.get(Contact, conv.contact_id) if conv.contact_id else None
    agent = session.get(User, conv.assignee_id) if conv.assignee_id else None
    values = composer.known_values(
        customer_name=unread_name(contact.display_name, contact.handle) if contact else None,
        handle=contact.handle if contact else None,
        agent_name=(agent.display_name or agent.name) if agent else None,
        conversation_id=conv.id,
    )
    translated = survey.template_for(conv.language)
    if translated != survey.template and templates is not None and templates.get(translated or ""):
        return automatic_text(templates, translated, None, values)  # the customer's language
    return automatic_text(templates, survey.template, survey.text, values)


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
                run = _run_of(charter, row.kind)
                text = _text(session, conv, run, templates) if run is not None else None
                try:
                    if not text:
                        raise outbox.NothingToAnswer(f"the charter has no {row.kind} survey with a text")
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


def _settle(session: Session, message: Message, now: datetime, *, opt_out: bool = False) -> None:
    """A reply that is only a score, or an opt-out, does not reopen its conversation: the reopening is undone
    (resolved, no clock), unaudited like the reopening, so the conversation was set to resolved when the agent
    did it, not when the answer was read."""
    conv = session.get(Conversation, message.conversation_id)
    if conv is None or conv.status != "open" or not (opt_out or only_a_score(message.text)):
        return
    later_out = conv.last_outbound_at is not None and conv.last_outbound_at > (message.created_at or now)
    if conv.last_inbound_at == message.created_at and not later_out:
        conv.status, conv.sla_due_at = "resolved", None


def _read_answers(engine: Engine, charter: Charter, now: datetime, report: SurveyReport) -> None:
    phrases = charter.privacy.opt_out.phrases
    try:
        with Session(engine) as session, session.begin():
            for row in session.exec(select(SurveyRequest).where(SurveyRequest.status == "sent")).all():
                message = _next_message(session, row) if row.sent_at is not None else None
                if message is None:
                    if row.sent_at is None or row.sent_at < now - ANSWER_WINDOW:
                        row.status = "expired"
                    continue
                if is_opt_out(message.text, phrases):  # STOP: recorded and audited by privacy.opt_out
                    row.status, row.answer_message_id = "opted_out", message.id
                    _settle(session, message, now, opt_out=True)
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
    _read_answers(engine, charter, now, report)
    if charter.survey_runs():
        _open_waiting(engine, charter, now)
        _queue_due(engine, charter, templates, now, report)
    return report
