"""Retention: the charter's ``[privacy.retention]`` periods applied (``inbox privacy purge``, the daily tick).

Each kind goes in batches of ``BATCH`` rows, one short transaction each, so the purge can be interrupted at
any point and run again (from cron, or by two listeners at once): a row already purged is not selected again.
Messages keep what the reports count (times, channel, direction, classification); their text becomes
``[expired]`` and their raw payload ``{}`` once their conversation is closed (not open or pending) and its
last message older than ``messages_days``; then the agents' notes on it and our outbox replies in it (not one
still waiting to be sent) become ``[expired]`` too (a reply keeps its status, times, key and template name);
``raw_payloads_days`` empties payloads sooner. Our own messages
keep their outbox key (``inbox.store.gone.kept_payload``): it tells an automatic message from a reply.
Quarantined items, processed webhook events and audit events older than their period are deleted (sign-in
sessions too, with the audit log's period counted from their expiry); survey answers lose their score. The
payloads of escalation and spike alerts once posted (they quote customers) are emptied after
``raw_payloads_days``, else ``messages_days``. A person under legal hold keeps their messages (in others'
threads too) with their payloads, and their conversations' notes and replies, until the hold is lifted. A
dry run counts the same rows and changes nothing. Profiles not seen for ``profiles_days`` are
anonymised (``inbox.privacy.profiles``). Each real run is audited with its counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, String, cast, delete, func, literal, or_, text, update
from sqlmodel import Session, col, select

from inbox.charter.policies import Retention
from inbox.i18n import _, ngettext
from inbox.privacy import profiles
from inbox.replies import queued
from inbox.store.erasure_lock import write_lock
from inbox.store.folding import fold
from inbox.store.gone import EXPIRED, OUTBOX, kept_payload
from inbox.store.records import audit
from inbox.store.tables import (
    AuditEvent,
    Contact,
    ContactPrivacy,
    Conversation,
    EscalationAlert,
    Message,
    Note,
    OutboundReply,
    QuarantinedItem,
    SurveyRequest,
    TrafficSpike,
    WebhookEvent,
    WebSession,
)

BATCH = 500
ACTION = "privacy.purge"
EVERY = timedelta(days=1)  # how often the listener's tick runs it
STALE_CLAIM = timedelta(hours=1)  # a claimed purge without its counts after this was interrupted
PURGE_LOCK = 7_220_261_209  # PostgreSQL advisory lock key: workers claim the day's purge in turn


@dataclass
class PurgeReport:
    messages: int = 0
    notes: int = 0
    replies: int = 0
    raw_payloads: int = 0
    quarantined: int = 0
    webhook_events: int = 0
    survey_answers: int = 0
    audit_events: int = 0
    web_sessions: int = 0
    alert_payloads: int = 0
    profiles: int = 0

    def line(self, dry_run: bool = False) -> str:
        """``purge: removed 2 messages, 0 raw payloads, …`` (``would remove``: dry run), current language."""
        words = {
            "messages": ngettext("{n} message", "{n} messages", self.messages),
            "notes": ngettext("{n} note", "{n} notes", self.notes),
            "replies": ngettext("{n} reply", "{n} replies", self.replies),
            "raw_payloads": ngettext("{n} raw payload", "{n} raw payloads", self.raw_payloads),
            "quarantined": ngettext("{n} quarantined", "{n} quarantined", self.quarantined),
            "webhook_events": ngettext("{n} webhook event", "{n} webhook events", self.webhook_events),
            "survey_answers": ngettext("{n} survey answer", "{n} survey answers", self.survey_answers),
            "audit_events": ngettext("{n} audit event", "{n} audit events", self.audit_events),
            "web_sessions": ngettext("{n} web session", "{n} web sessions", self.web_sessions),
            "alert_payloads": ngettext("{n} alert payload", "{n} alert payloads", self.alert_payloads),
            "profiles": ngettext("{n} profile", "{n} profiles", self.profiles),
        }
        counts = ", ".join(words[k].format(n=n) for k, n in asdict(self).items())
        verb = _("purge: would remove {counts}") if dry_run else _("purge: removed {counts}")
        return verb.format(counts=counts)


@dataclass(frozen=True)
class Kind:
    """One kind of data: the rows due (a WHERE clause on ``table``) and what becomes of them."""

    table: Any
    due: Callable[[datetime], Any]
    apply: Callable[[Session, list[int]], Any]  # done to those ids, in the batch's transaction


def _on(statement: Callable[[list[int]], Any]) -> Callable[[Session, list[int]], Any]:
    """An ``apply`` that runs one statement on the batch's ids."""
    return lambda session, ids: session.execute(statement(ids).execution_options(synchronize_session=False))


def _outbox_key() -> Any:
    return col(Message.raw)[OUTBOX].as_string()


def _payloads_gone(values: dict[str, Any]) -> Callable[[Session, list[int]], Any]:
    """Set ``values`` on the batch's messages, their payload reduced to what it keeps (``kept_payload``:
    the outbox key of ours, so the figures that tell automatic messages apart do not change)."""

    def apply(session: Session, ids: list[int]) -> None:
        keyed = dict(session.exec(select(Message.id, _outbox_key()).where(col(Message.id).in_(ids))).all())
        plain = [i for i in ids if not keyed.get(i)]
        if plain:
            session.execute(update(Message).where(col(Message.id).in_(plain)).values(**values, raw={}))
        for message_id, key in keyed.items():
            if key:
                kept = kept_payload({OUTBOX: key})
                session.execute(
                    update(Message).where(col(Message.id) == message_id).values(**values, raw=kept)
                )

    return apply


def _emptied(table: Any, ids: list[int]) -> Any:
    return update(table).where(col(table.id).in_(ids)).values(payload={})


def _payload_left(cutoff: datetime) -> Any:
    """Messages older than ``cutoff`` whose payload holds more than ``kept_payload`` keeps."""
    outbox_only = literal('{"' + OUTBOX + '": "') + _outbox_key() + literal('"}')
    text = cast(col(Message.raw), String)
    return (
        (col(Message.created_at) < cutoff)
        & (text != "{}")
        & or_(_outbox_key().is_(None), text != outbox_only)
        & _not_held()
    )


def _held() -> Any:
    """The accounts under legal hold: their data is kept from the purge as from erasure."""
    return select(ContactPrivacy.contact_id).where(col(ContactPrivacy.legal_hold).is_not(None))


def _not_held() -> Any:
    """A message neither written by an account under legal hold nor in one of its conversations."""
    of_held = select(Conversation.id).where(col(Conversation.contact_id).in_(_held()))
    by_held = col(Message.contact_id).is_not(None) & col(Message.contact_id).in_(_held())
    return ~by_held & col(Message.conversation_id).not_in(of_held)


def _closed(cutoff: datetime) -> Any:
    """The conversations closed (not open or pending) whose last message is older than ``cutoff``."""
    return select(Conversation.id).where(
        col(Conversation.status).not_in(("open", "pending")),
        col(Conversation.last_message_at) < cutoff,
        or_(col(Conversation.contact_id).is_(None), col(Conversation.contact_id).not_in(_held())),
    )


def _closed_before(cutoff: datetime) -> Any:
    return col(Message.conversation_id).in_(_closed(cutoff)) & (col(Message.text) != EXPIRED) & _not_held()


def _notes_due(cutoff: datetime) -> Any:
    return col(Note.conversation_id).in_(_closed(cutoff)) & (col(Note.text) != EXPIRED)


def _replies_due(cutoff: datetime) -> Any:
    """Our outbox replies in expired conversations, but one still waiting to be sent (its words go out)."""
    return (
        col(OutboundReply.conversation_id).in_(_closed(cutoff))
        & (col(OutboundReply.text) != EXPIRED)
        & col(OutboundReply.status).not_in(("pending", "sending"))
    )


def _replies_expired(ids: list[int]) -> Any:
    """Their words go (the template's parameters too); status, times, key and template name stay: counted."""
    values = {"text": EXPIRED, "platform_template": None, "last_error": None}
    return update(OutboundReply).where(col(OutboundReply.id).in_(ids)).values(**values)


def _replies_gone(session: Session, ids: list[int]) -> None:
    """``_replies_expired``, and the words an edit or a cancel kept in the audit log go with them."""
    session.execute(_replies_expired(ids).execution_options(synchronize_session=False))
    theirs = session.exec(select(OutboundReply.conversation_id).where(col(OutboundReply.id).in_(ids))).all()
    queued.forget_words(session, set(theirs), EXPIRED)


POSTED = ("sent", "failed", "cancelled")  # an alert no longer waiting to be posted


def _alerts(cutoff: datetime) -> Any:
    return (
        (col(EscalationAlert.created_at) < cutoff)
        & col(EscalationAlert.status).in_(POSTED)
        & (cast(col(EscalationAlert.payload), String) != "{}")
    )


def _spikes(cutoff: datetime) -> Any:
    return (
        (col(TrafficSpike.opened_at) < cutoff)
        & col(TrafficSpike.closed_at).is_not(None)
        & col(TrafficSpike.alert_status).in_(POSTED)
        & (cast(col(TrafficSpike.payload), String) != "{}")
    )


def kinds_of(r: Retention) -> dict[str, tuple[int | None, Kind | tuple[Kind, ...]]]:
    expire: dict[str, Any] = {"text": EXPIRED, "author_handle": None, "pii": []}
    expire["search_text"] = fold(EXPIRED)  # a Core UPDATE: the store's hooks do not see it
    return {
        "messages": (
            r.messages_days,
            Kind(Message, _closed_before, _payloads_gone(expire)),
        ),
        "notes": (  # the agents' notes on them, and our replies in them (a template names the customer)
            r.messages_days,
            Kind(
                Note,
                _notes_due,
                _on(lambda ids: update(Note).where(col(Note.id).in_(ids)).values(text=EXPIRED)),
            ),
        ),
        "replies": (r.messages_days, Kind(OutboundReply, _replies_due, _replies_gone)),
        "raw_payloads": (
            r.raw_payloads_days,
            Kind(Message, _payload_left, _payloads_gone({})),
        ),
        "quarantined": (
            r.quarantine_days,
            Kind(
                QuarantinedItem,
                lambda cutoff: col(QuarantinedItem.created_at) < cutoff,
                _on(lambda ids: delete(QuarantinedItem).where(col(QuarantinedItem.id).in_(ids))),
            ),
        ),
        "webhook_events": (
            r.webhook_events_days,
            Kind(
                WebhookEvent,
                lambda cutoff: (
                    (col(WebhookEvent.received_at) < cutoff) & (col(WebhookEvent.status) != "pending")
                ),
                _on(lambda ids: delete(WebhookEvent).where(col(WebhookEvent.id).in_(ids))),
            ),
        ),
        "survey_answers": (
            r.survey_answers_days,
            Kind(
                SurveyRequest,
                lambda cutoff: (
                    (col(SurveyRequest.answered_at) < cutoff) & col(SurveyRequest.score).is_not(None)
                ),
                _on(
                    lambda ids: update(SurveyRequest).where(col(SurveyRequest.id).in_(ids)).values(score=None)
                ),
            ),
        ),
        "audit_events": (
            r.audit_days,
            Kind(
                AuditEvent,
                lambda cutoff: col(AuditEvent.at) < cutoff,
                _on(lambda ids: delete(AuditEvent).where(col(AuditEvent.id).in_(ids))),
            ),
        ),
        "alert_payloads": (  # they quote customers' words: kept as long as a payload (or a message)
            r.raw_payloads_days if r.raw_payloads_days is not None else r.messages_days,
            (
                Kind(EscalationAlert, _alerts, _on(lambda ids: _emptied(EscalationAlert, ids))),
                Kind(TrafficSpike, _spikes, _on(lambda ids: _emptied(TrafficSpike, ids))),
            ),
        ),
        "profiles": (r.profiles_days, Kind(Contact, profiles.due, profiles.apply)),  # after their messages
        "web_sessions": (  # who was signed in when: kept as long as the audit log, counted from the expiry
            r.audit_days,
            Kind(
                WebSession,
                lambda cutoff: col(WebSession.expires_at) < cutoff,
                _on(lambda ids: delete(WebSession).where(col(WebSession.id).in_(ids))),
            ),
        ),
    }


def _run(engine: Engine, kind: Kind, cutoff: datetime, dry_run: bool) -> int:
    if dry_run:
        with Session(engine) as session:
            return int(
                session.exec(select(func.count()).select_from(kind.table).where(kind.due(cutoff))).one()
            )
    done = 0
    while True:
        with Session(engine) as session, session.begin():
            ids = list(session.exec(select(kind.table.id).where(kind.due(cutoff)).limit(BATCH)).all())
            done += apply_due(session, kind, cutoff, ids) if ids else 0
        if len(ids) < BATCH:
            return done


def apply_due(session: Session, kind: Kind, cutoff: datetime, ids: list[int]) -> int:
    """Apply ``kind`` to those of ``ids`` still due; how many. A listener may have stored a customer's message
    since they were picked, reopening their conversation (the purge runs while workers do): the batch's
    conversations are locked first (on PostgreSQL, after that listener's transaction), then its rows are
    read again against ``due``, so a conversation the customer is in keeps its words. The rows are locked as
    they are read again: two purges at once (cron and a listener's tick) count each row once."""
    write_lock(session)  # SQLite: from here on, what it reads stays true until it commits
    parent = getattr(kind.table, "conversation_id", None)
    if parent is not None:
        theirs = select(parent).where(col(kind.table.id).in_(ids))
        session.exec(select(Conversation.id).where(col(Conversation.id).in_(theirs)).with_for_update()).all()
    # locked (PostgreSQL): a row another purge is changing is read once it has, so it counts for one of them
    due = select(kind.table.id).where(col(kind.table.id).in_(ids), kind.due(cutoff)).with_for_update()
    still = list(session.exec(due))
    if still:
        kind.apply(session, still)
    return len(still)


def purge(
    engine: Engine,
    retention: Retention,
    now: datetime,
    *,
    actor: str,
    dry_run: bool = False,
    claimed: int | None = None,
) -> PurgeReport:
    """Apply every period set in ``retention``; the counts of what went (or would go). Audited with them, in
    the ``claimed`` audit event when there is one (``purge_if_due``)."""
    report = PurgeReport()
    for name, (days, kinds) in kinds_of(retention).items():
        if days is not None:
            cutoff = now - timedelta(days=days)
            each = kinds if isinstance(kinds, tuple) else (kinds,)
            setattr(report, name, sum(_run(engine, kind, cutoff, dry_run) for kind in each))
    if not dry_run:
        with Session(engine) as session, session.begin():
            event = session.get(AuditEvent, claimed) if claimed is not None else None
            if event is None:
                audit(session, actor, ACTION, detail={"removed": asdict(report)}, at=now)
            else:
                event.detail = {"removed": asdict(report)}
                session.add(event)
    return report


def purge_if_due(engine: Engine, retention: Retention, now: datetime, *, actor: str) -> PurgeReport | None:
    """``purge`` when none ran in the last day (any process), else None: what the automation tick calls."""
    if all(v is None for v in retention.model_dump().values()):
        return None
    claimed = _claim(engine, now, actor)
    if claimed is None:
        return None
    return purge(engine, retention, now, actor=actor, claimed=claimed)


def _claim(engine: Engine, now: datetime, actor: str) -> int | None:
    """The day's purge for this process: its audit event, written now (``removed`` is null until the counts
    are known), or None when one ran or started in the last day. Workers ticking together take turns: each
    reads the last purge and claims the day's under one lock, so one purges and the others find it done.
    A purge interrupted after its claim (a worker killed) leaves ``removed`` null: once that claim is older
    than ``STALE_CLAIM`` another worker claims the day's purge again (the unfinished claim stays audited)."""
    with Session(engine) as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PURGE_LOCK})
        write_lock(session)  # SQLite's one write lock
        last = session.exec(
            select(AuditEvent).where(AuditEvent.action == ACTION).order_by(col(AuditEvent.at).desc()).limit(1)
        ).first()
        unfinished = last is not None and (last.detail or {}).get("removed", {}) is None
        if (
            last is not None
            and last.at is not None
            and last.at > now - (STALE_CLAIM if unfinished else EVERY)
        ):
            return None
        event = AuditEvent(at=now, actor=actor, action=ACTION, detail={"removed": None})
        session.add(event)
        session.flush()
        return event.id
