"""Erasure (right to be forgotten): one person's data removed or irreversibly anonymised, in one transaction.

Across every linked account: the texts and raw payloads of the messages they wrote and of ours in their
conversations (the replies quote their name), handles, names, platform ids and follower counts, their person
record, thread keys, notes on their conversations (and their names in other notes), our outbox replies to
them, survey recipients, escalation alert payloads (and an open spike alert's that quotes them), and every
webhook event body or quarantined payload that names them (deleted). Where others' data names them
(another customer's message, our replies elsewhere, incidents, alerts, audit details): ``elsewhere``; the
platform ids of their messages others answered become the digests those messages keep: ``references``.
What the KPIs need stays, anonymised: rows, times, channel, direction, kind, classification, survey scores,
segment tags, so past reports do not change. Their conversations still open are resolved (audited
``conversation.status`` at the erasure): nobody is left to answer, and no clock runs on to a breach, unless
another customer wrote in their thread after our last answer (that message still waits for an answer). Audit
events about them keep who did what and when; their names are cut from the details. A legal hold refuses the
whole erasure. Pages being stored and an erasure take turns (``inbox.store.erasure_lock``): the erasure
waits for a page under way and erases its messages too; the account keeps a digest of its platform id and
the erasure's time, so a message they wrote before it that arrives later is never stored
(``inbox.ingest.erased_authors``).

The erasure is audited (who, when, why, which account ids, how many rows) without the erased data (a reason
typed with their name or handle keeps ``[erased]`` in their place). Then the
database is compacted so the old bytes are gone from the file: SQLite runs with ``secure_delete`` and is
VACUUMed (WAL checkpointed and truncated); PostgreSQL's touched tables are VACUUMed (dead rows removed).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, text
from sqlmodel import Session, col, select

from inbox.i18n import _, ngettext
from inbox.outbox.schedule import ERASED_MID_SEND, ERASED_REPLY
from inbox.privacy import elsewhere
from inbox.privacy.identifiers import Identifiers, subject_identifiers
from inbox.privacy.record import concerning, conversation_ids, their_messages
from inbox.privacy.references import scrub_references
from inbox.privacy.subject import Subject, find_subject, holds
from inbox.replies import queued
from inbox.store.erasure_lock import hold_pages
from inbox.store.gone import ERASED, erased_id, kept_payload
from inbox.store.records import audit
from inbox.store.tables import (
    AuditEvent,
    Contact,
    Conversation,
    EscalationAlert,
    Message,
    Note,
    OutboundReply,
    Person,
    QuarantinedItem,
    SurveyRequest,
    WebhookEvent,
)

TOUCHED = (
    "message contact conversation note outbound_reply survey escalation_alert person webhook_event "
    "quarantined_item audit_event incident traffic_spike"
).split()


class LegalHold(RuntimeError):
    """The person's data must be kept; the message says why and how to lift the hold."""


@dataclass
class ErasureReport:
    contacts: int = 0
    conversations: int = 0
    messages: int = 0
    notes: int = 0
    replies: int = 0
    surveys: int = 0
    alerts: int = 0
    webhook_events: int = 0
    quarantined: int = 0
    audit_events: int = 0
    elsewhere: int = 0  # others' messages, replies elsewhere, incidents, alerts, audit details naming them
    references: int = 0  # others' rows that kept the platform id of one of their messages (an answer's)

    def line(self) -> str:
        """``1 contact, 2 conversations, 5 messages, …`` in the current language."""
        words = {
            "contacts": ngettext("{n} contact", "{n} contacts", self.contacts),
            "conversations": ngettext("{n} conversation", "{n} conversations", self.conversations),
            "messages": ngettext("{n} message", "{n} messages", self.messages),
            "notes": ngettext("{n} note", "{n} notes", self.notes),
            "replies": ngettext("{n} reply", "{n} replies", self.replies),
            "surveys": ngettext("{n} survey", "{n} surveys", self.surveys),
            "alerts": ngettext("{n} alert", "{n} alerts", self.alerts),
            "webhook_events": ngettext("{n} webhook event", "{n} webhook events", self.webhook_events),
            "quarantined": ngettext("{n} quarantined", "{n} quarantined", self.quarantined),
            "audit_events": ngettext("{n} audit event", "{n} audit events", self.audit_events),
            "elsewhere": ngettext("{n} mention elsewhere", "{n} mentions elsewhere", self.elsewhere),
            "references": ngettext(
                "{n} link to their messages", "{n} links to their messages", self.references
            ),
        }
        return ", ".join(words[k].format(n=n) for k, n in asdict(self).items())


def _anonymise_messages(
    session: Session, subject: Subject, own: set[int], report: ErasureReport
) -> list[str]:
    """Their messages' words and ids gone; the platform ids they had (others' answers refer to them)."""
    had = []
    for m in their_messages(session, subject, own):
        had.append(m.platform_id)
        m.text, m.raw, m.pii, m.urgency_reasons = ERASED, kept_payload(m.raw), [], []
        m.author_handle = m.author_platform_id = m.reply_to_platform_id = None
        m.platform_id = erased_id(m.platform_id)  # a redelivery is known, never stored again
        report.messages += 1
    return had


def _someone_else_waits(session: Session, conversation_id: int, subject: Subject) -> bool:
    """Another customer wrote in their conversation (a reply in their public thread) after our last answer."""
    stmt = select(Message.direction, Message.contact_id).where(Message.conversation_id == conversation_id)
    waiting: set[int | None] = set()
    for direction, contact_id in session.exec(stmt.order_by(col(Message.created_at), col(Message.id))):
        waiting = set() if direction == "out" else waiting | {contact_id}
    return bool(waiting - set(subject.contact_ids))


def _anonymise_conversations(
    session: Session,
    subject: Subject,
    own: set[int],
    ids: Identifiers,
    report: ErasureReport,
    actor: str,
    now: datetime,
) -> None:
    for conv in session.exec(select(Conversation).where(col(Conversation.id).in_(own))):
        conv.thread_key = f"erased:{conv.id}"
        report.conversations += 1
        if conv.status in ("open", "pending") and not _someone_else_waits(session, conv.id or 0, subject):
            # nobody is left to answer: closed, its clock stopped (another customer waiting keeps it open)
            audit(
                session,
                actor,
                "conversation.status",
                target=("conversation", conv.id),
                detail={"from": conv.status, "to": "resolved", "why": "erased at the customer's request"},
                at=now,
            )
            conv.status, conv.sla_due_at = "resolved", None
    for note in session.exec(select(Note).where(col(Note.conversation_id).in_(own))):
        note.text = ERASED
        report.notes += 1
    for reply in session.exec(select(OutboundReply).where(col(OutboundReply.conversation_id).in_(own))):
        reply.text, reply.recipient_id, reply.in_reply_to = ERASED, None, None
        reply.platform_template, reply.last_error = None, None
        if reply.status in ("pending", "sending"):
            posting = reply.status == "sending" and (reply.unposted_claim_at is None or reply.unsure_from)
            reply.status, reply.last_error = "failed", ERASED_MID_SEND if posting else ERASED_REPLY
        report.replies += 1
    for survey in session.exec(select(SurveyRequest).where(col(SurveyRequest.conversation_id).in_(own))):
        survey.recipient_id = None  # the score stays: an anonymous figure of the reports
        report.surveys += 1
    for alert in session.exec(select(EscalationAlert).where(col(EscalationAlert.conversation_id).in_(own))):
        alert.payload, alert.last_error = {}, None
        report.alerts += 1
    for spike in elsewhere.open_spikes_quoting(session, own):
        spike.payload = {}
        report.alerts += 1
    for note in session.exec(select(Note).where(col(Note.conversation_id).not_in(own))):
        if ids.found_in(note.text):
            note.text = ids.redact(note.text)
            report.notes += 1


def _account_tombstone(session: Session, contact: Contact) -> None:
    """The account keeps a digest of its platform id (``erased_id``), so a message they wrote before the
    erasure that reaches us after it is known (``inbox.ingest.erased_authors``); the same account, back as a
    new contact and erased again, takes the digest over (the older row keeps ``erased:<row>``)."""
    digest = erased_id(contact.platform_id)
    same = select(Contact).where(Contact.channel_id == contact.channel_id, Contact.platform_id == digest)
    for older in session.exec(same):
        older.platform_id = f"erased:{older.id}"
    session.flush()
    contact.platform_id = digest


def _anonymise_people(session: Session, subject: Subject, report: ErasureReport, now: datetime) -> None:
    for contact in session.exec(select(Contact).where(col(Contact.id).in_(subject.contact_ids))):
        _account_tombstone(session, contact)
        contact.updated_at = now  # when: a message of theirs written no later is theirs, never stored
        contact.handle = contact.display_name = None
        contact.followers, contact.person_id = None, None
        report.contacts += 1  # tags stay: segments the reports judge targets by
    if subject.person_id is not None:
        session.flush()
        session.execute(delete(Person).where(col(Person.id) == subject.person_id))


def _drop_payloads(session: Session, ids: Identifiers, report: ErasureReport) -> None:
    """Webhook bodies and quarantined payloads that name the person are deleted whole."""
    for event, _body in elsewhere.webhook_bodies(session, ids):
        session.execute(delete(WebhookEvent).where(col(WebhookEvent.id) == event.id))
        report.webhook_events += 1
    for item in session.exec(select(QuarantinedItem)).all():  # the error may quote the payload
        if ids.found_in(item.error) or ids.found_in(json.dumps(item.raw, ensure_ascii=False)):
            session.delete(item)
            report.quarantined += 1


def _scrub_audit(
    session: Session, subject: Subject, own: set[int], ids: Identifiers, r: ErasureReport
) -> None:
    for event in session.exec(select(AuditEvent).where(concerning(subject, own))):
        cleaned = ids.redact(event.detail)
        if cleaned != event.detail:
            event.detail = cleaned
            r.audit_events += 1
    r.audit_events += queued.forget_words(session, own, ERASED)  # an edited or cancelled reply's words


def erase_subject(
    session: Session, subject: Subject, *, actor: str, reason: str, now: datetime
) -> ErasureReport:
    """Erase ``subject`` in the caller's transaction (refused under a legal hold); audited."""
    hold_pages(session)  # pages under way are stored first (and erased here); none stores meanwhile
    kept = holds(session, subject)
    if kept:
        raise LegalHold(
            _(
                "{person} is under legal hold ({why}): nothing was erased. "
                "Lift the hold first with `inbox privacy release`."
            ).format(person=subject.ref, why="; ".join(dict.fromkeys(kept)))
        )
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))  # freed space is zeroed, not left readable
    ids = subject_identifiers(session, subject)
    own, joined = conversation_ids(session, subject)
    report = ErasureReport()
    _scrub_audit(session, subject, own | joined, ids, report)
    had = _anonymise_messages(session, subject, own, report)
    _anonymise_conversations(session, subject, own, ids, report, actor, now)
    report.elsewhere += elsewhere.scrub_messages(session, ids, own)
    report.elsewhere += elsewhere.scrub_replies(session, ids, own)
    report.elsewhere += elsewhere.scrub_records(session, ids)
    session.flush()
    report.references = scrub_references(session, had)
    _drop_payloads(session, ids, report)
    _anonymise_people(session, subject, report, now)
    audit(
        session,
        actor,
        "privacy.erase",
        target=("contact", subject.contact_id),
        detail={
            "reason": ids.redact(reason),
            "contacts": list(subject.contact_ids),
            "erased": asdict(report),
        },
        at=now,
    )
    return report


def compact(engine: Engine) -> None:
    """Make erased bytes unreadable in the database files (outside any transaction)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            conn.execute(text("VACUUM"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        elif engine.dialect.name == "postgresql":
            for table in TOUCHED:
                conn.execute(text(f"VACUUM {table}"))


def erase(engine: Engine, ref: str, *, actor: str, reason: str, now: datetime) -> ErasureReport:
    """Find the person ``ref`` names, erase them, then compact the database."""
    with Session(engine) as session, session.begin():
        report = erase_subject(session, find_subject(session, ref), actor=actor, reason=reason, now=now)
    compact(engine)
    return report
