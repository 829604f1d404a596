"""Escalation: alerts for conversations at risk, breached or critical, posted once each to the webhook.

A candidate from the cheap clock scan is re-checked with the SLA engine (``evaluate`` and ``alerts_due``)
under the charter in force at its arrival, with the conversation's contact reason (its ``[sla.reasons]``
override), as the queue judges it. Each alert is claimed by inserting its (conversation, key) row,
unique, so only one listener wins; it is posted outside any transaction, then recorded. A failed post is
retried on retryable errors, but never once the conversation was answered or closed; a post cut short by a
crash is not repeated (it is marked failed, uncertain), so nobody is alerted twice for one event.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from connectors.base import ConnectorError
from inbox.automation.alert_text import alert_payload
from inbox.backoff import backoff
from inbox.charter.model import Charter
from inbox.charter.open_clocks import OpenClock
from inbox.charter.reason_rules import bumped
from inbox.charter.sla import SlaEvent, SlaResult, SlaSubject, alerts_due, evaluate
from inbox.charter.versions import CharterBook
from inbox.i18n import use_language
from inbox.outbox.delivery import is_automatic
from inbox.settings import conversation_link
from inbox.store import records as store
from inbox.store.tables import Conversation, Message
from inbox.store.tables.enforcement import EscalationAlert

log = logging.getLogger("inbox.automation.escalation")

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS, RETRY_CAP_SECONDS = 30.0, 900.0  # 30 s, 60 s … 15 min (inbox.backoff)
SEND_LEASE = timedelta(minutes=2)
MAX_ALERTS_PER_TICK = 50


class AlertSender(Protocol):
    """What escalation needs from ``connectors.alerts.WebhookConnector``."""

    def post(self, payload: Mapping[str, Any]) -> None: ...


@dataclass
class EscalationReport:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0


def _messages(session: Session, conversation_id: int) -> list[Message]:
    stmt = select(Message).where(Message.conversation_id == conversation_id).order_by(col(Message.created_at))
    return list(session.exec(stmt))


def sla_events(messages: Iterable[Message]) -> list[SlaEvent]:
    """Customer messages and the brand's answers; automatic messages are not answers."""
    return [
        SlaEvent(m.created_at, "in" if m.direction == "in" else "out")
        for m in messages
        if m.created_at is not None
        and not (m.direction == "out" and is_automatic((m.raw or {}).get("outbox")))
    ]


def since_clock_start(events: Sequence[SlaEvent], started: datetime | None) -> list[SlaEvent]:
    """The events as the running clock sees them: a customer message left unanswered before the message the
    stored clock started from (a "thanks", or a message resolved unanswered, before the customer wrote again
    to the resolved conversation) waits for nothing, so the engine's current cycle starts where the queue's
    clock does. ``started`` None (a clock stored before migration 0029): the events as they are."""
    if started is None:
        return list(events)
    answered = max((e.at for e in events if e.direction == "out" and e.at < started), default=None)
    return [
        e
        for e in events
        if e.direction == "out" or e.at >= started or (answered is not None and e.at <= answered)
    ]


def _evaluate(
    session: Session, book: CharterBook, clock: OpenClock, now: datetime
) -> tuple[SlaResult, str] | None:
    messages = _messages(session, clock.conversation_id)
    charter = book.in_force(clock.first_inbound_at)
    subject = SlaSubject(clock.channel, clock.kind, clock.urgency, clock.tags, clock.platform, clock.reason)
    events = since_clock_start(sla_events(messages), clock.clock_started_at)
    result = evaluate(events, subject, charter, now)
    last_in = next((m.text for m in reversed(messages) if m.direction == "in"), "")
    return (result, last_in) if result is not None else None


def _claim(
    engine: Engine, conversation_id: int, key: str, payload: dict[str, Any], now: datetime
) -> int | None:
    """Insert the alert's row; None when another listener already has it."""
    try:
        with Session(engine) as session, session.begin():
            row = EscalationAlert(
                conversation_id=conversation_id,
                key=key,
                status="sending",
                attempts=1,
                next_attempt_at=now + SEND_LEASE,
                payload=payload,
                created_at=now,
            )
            session.add(row)
            session.flush()
            return row.id
    except (IntegrityError, OperationalError):
        return None


def try_post(sender: AlertSender, payload: Mapping[str, Any]) -> ConnectorError | None:
    """Post one alert: None when delivered, else the connector's error (not raised)."""
    try:
        sender.post(payload)
    except ConnectorError as exc:
        return exc
    return None


def _post(
    engine: Engine, alert_id: int, payload: Mapping[str, Any], sender: AlertSender, now: datetime
) -> bool:
    """Post and record the outcome; True when delivered."""
    error = try_post(sender, payload)
    with Session(engine) as session, session.begin():
        row = session.get(EscalationAlert, alert_id)
        assert row is not None
        if error is None:
            row.status, row.sent_at, row.last_error = "sent", now, None
            store.audit(
                session,
                "automation",
                "escalation.sent",
                target=("conversation", row.conversation_id),
                detail={"key": row.key},
                at=now,
            )
            return True
        row.last_error = f"{type(error).__name__}: {error}"
        if error.retryable and row.attempts < MAX_ATTEMPTS:
            wait = error.retry_after
            if wait is None:
                wait = backoff(row.attempts, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS)
            row.status, row.next_attempt_at = "pending", now + timedelta(seconds=wait)
        else:
            row.status = "failed"
            log.warning(
                "escalation alert %s for conversation #%s failed: %s",
                row.key,
                row.conversation_id,
                row.last_error,
            )
        return False


def _still_waiting(session: Session, row: EscalationAlert) -> bool:
    """The conversation is open and nobody answered it since the alert was decided."""
    conv = session.get(Conversation, row.conversation_id)
    if conv is None or conv.status != "open" or conv.sla_due_at is None:
        return False
    since = row.created_at
    answers = session.exec(
        select(Message).where(
            Message.conversation_id == row.conversation_id,
            Message.direction == "out",
            col(Message.created_at) > since,
        )
    )
    return all(is_automatic((m.raw or {}).get("outbox")) for m in answers)


def _retries(engine: Engine, sender: AlertSender, now: datetime, report: EscalationReport) -> None:
    with Session(engine) as session, session.begin():
        session.execute(  # a post cut short by a crash: never repeated, a person checks
            update(EscalationAlert)
            .where(col(EscalationAlert.status) == "sending", col(EscalationAlert.next_attempt_at) < now)
            .values(status="failed", last_error="delivery uncertain: the listener stopped during the post")
        )
        due = session.exec(
            select(EscalationAlert.id).where(
                EscalationAlert.status == "pending", col(EscalationAlert.next_attempt_at) <= now
            )
        ).all()
    for alert_id in due:
        assert alert_id is not None
        with Session(engine) as session, session.begin():
            won = session.execute(
                update(EscalationAlert)
                .where(col(EscalationAlert.id) == alert_id, col(EscalationAlert.status) == "pending")
                .values(
                    status="sending", attempts=EscalationAlert.attempts + 1, next_attempt_at=now + SEND_LEASE
                )
            )
            row = session.get(EscalationAlert, alert_id)
            if won.rowcount != 1 or row is None:  # type: ignore[attr-defined]
                continue
            if not _still_waiting(session, row):
                row.status, row.last_error = (
                    "cancelled",
                    "answered or closed before the alert could be delivered",
                )
                report.cancelled += 1
                continue
            payload = dict(row.payload)
        if _post(engine, alert_id, payload, sender, now):
            report.sent += 1
        else:
            report.failed += 1


def _critical(book: CharterBook, clock: OpenClock) -> bool:
    """Critical by its classification, or by its contact reason's urgency (``[reasons.<reason>] urgency``)."""
    charter = book.in_force(clock.first_inbound_at)
    return bumped(charter.reasons, clock.urgency, clock.reason) == "critical"


def _nothing_new(clock: OpenClock, sent: set[str], charter: Charter, critical: bool) -> bool:
    """True when a first-response clock already has every alert its state calls for (skips the engine)."""
    if clock.answered_before:
        return False  # a next-response cycle: its keys carry the cycle number, let the engine decide
    rules, needed = charter.escalation, set()
    if rules.alert_on_critical and critical:
        needed.add("critical")
    if clock.state == "breached" and rules.alert_on_breach:
        needed.add("breached")
    elif clock.state != "on_track" and rules.alert_on_at_risk:
        needed.add("at_risk")
    return needed <= sent


def escalate(
    engine: Engine, book: CharterBook, clocks: Sequence[OpenClock], sender: AlertSender, now: datetime
) -> EscalationReport:
    """Post every alert due now (each once), then retry the alerts whose post failed."""
    report = EscalationReport()
    _retries(engine, sender, now, report)
    critical = {c.conversation_id for c in clocks if _critical(book, c)}
    candidates = [c for c in clocks if c.state != "on_track" or c.conversation_id in critical]
    if not candidates:
        return report
    with Session(engine) as session:
        rows = session.exec(
            select(EscalationAlert.conversation_id, EscalationAlert.key).where(
                col(EscalationAlert.conversation_id).in_([c.conversation_id for c in candidates])
            )
        ).all()
    sent_keys: dict[int, set[str]] = {}
    for conversation_id, key in rows:
        sent_keys.setdefault(conversation_id, set()).add(key)
    posted = 0
    for clock in candidates:
        if posted >= MAX_ALERTS_PER_TICK:
            break
        charter = book.in_force(clock.first_inbound_at)
        sent = sent_keys.get(clock.conversation_id, set())
        if _nothing_new(clock, sent, charter, clock.conversation_id in critical):
            continue
        with Session(engine) as session:
            found = _evaluate(session, book, clock, now)
        if found is None:
            continue
        result, snippet = found
        for key in alerts_due(result, sent_keys.get(clock.conversation_id, set()), charter):
            link = conversation_link(clock.conversation_id)
            with use_language(book.current.ui.default_language):  # the team's language, as spike alerts
                payload = alert_payload(key, clock, result, snippet, book.current, now, link)
            alert_id = _claim(engine, clock.conversation_id, key, payload, now)
            if alert_id is None:
                continue
            posted += 1
            if _post(engine, alert_id, payload, sender, now):
                report.sent += 1
            else:
                report.failed += 1
    return report
