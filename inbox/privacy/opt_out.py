"""Opt-out: a customer who writes only STOP (the charter's ``[privacy.opt_out] phrases``) gets no more surveys
or automatic messages, on any of their linked accounts.

``is_opt_out`` is pure: the whole message, @mentions aside, case and accents folded, punctuation and emoji
ignored, must be one of the phrases ("STOP !", "@AcmeCare stop", "Désinscription." are; "stop the delivery"
is not). ``record_opt_outs`` is the automation step (before any automatic message is queued in the same
tick): it reads the customer messages of the last ``LOOKBACK`` from accounts not yet opted out, and marks the
author's account and every account linked to the same person in ``contact_privacy``, audited
(``privacy.opt_out``, with the message). Idempotent and safe in two listeners: an opted-out account is not
read again, and a row inserted by another process at once only makes this transaction retry next tick.
Automatic messages still waiting in the outbox for those accounts are not sent (``failed``, saying why).
``opted_out`` is what the automation asks before queuing anything automatic.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, func, or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from inbox.outbox.delivery import AUTOMATIC_PREFIX
from inbox.outbox.schedule import OPTED_OUT
from inbox.store.folding import fold
from inbox.store.records import audit
from inbox.store.tables import Contact, ContactPrivacy, Conversation, Message, OutboundReply

log = logging.getLogger("inbox.privacy.opt_out")
ACTION = "privacy.opt_out"
LOOKBACK = timedelta(days=3)
CANCELLED = OPTED_OUT
_MENTION = re.compile(r"(?<!\w)@[\w.@-]+")
_NOT_WORD = re.compile(r"[\W_]+")


def normalised(text: str | None) -> str:
    """``text`` without @mentions, folded (case, accents), anything but letters and digits as one space."""
    return " ".join(_NOT_WORD.sub(" ", fold(_MENTION.sub(" ", text or ""))).split())


def is_opt_out(text: str | None, phrases: Iterable[str]) -> bool:
    """True when the whole message is one of ``phrases`` (compared normalised)."""
    return _says_one_of(text, {normalised(p) for p in phrases})


def _says_one_of(text: str | None, wanted: set[str]) -> bool:
    said = normalised(text)
    return bool(said) and said in wanted


def key_words(wanted: set[str]) -> list[str]:
    """The longest word of each normalised phrase: the one the database looks for."""
    return sorted({max(p.split(), key=len) for p in wanted})


def could_say(wanted: set[str]) -> ColumnElement[bool]:
    """A message can only be one of the ``wanted`` (normalised) phrases if its folded text holds the longest
    word of one of them: each word of a normalised text is a run of its folded text (``fold`` maps each
    character alone). So the database leaves out the rest instead of sending every short message to Python."""
    return or_(
        col(Message.search_text).is_(None),
        *(col(Message.search_text).contains(word, autoescape=True) for word in key_words(wanted)),
    )


def linked_accounts(session: Session, contact_id: int) -> list[int]:
    """The contact and every account linked to the same person."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.person_id is None:
        return [contact_id]
    linked = session.exec(select(Contact.id).where(Contact.person_id == contact.person_id)).all()
    return sorted({contact_id, *(i for i in linked if i is not None)})


def opted_out(session: Session, contact_id: int | None) -> bool:
    """Whether the account, or any account linked to the same person, has opted out."""
    if contact_id is None:
        return False
    stmt = select(ContactPrivacy.contact_id).where(
        col(ContactPrivacy.contact_id).in_(linked_accounts(session, contact_id)),
        col(ContactPrivacy.opted_out_at).is_not(None),
    )
    return session.exec(stmt).first() is not None


def _candidates(session: Session, wanted: set[str], now: datetime) -> list[tuple[int, int, str]]:
    done = select(ContactPrivacy.contact_id).where(col(ContactPrivacy.opted_out_at).is_not(None))
    longest = 200 + max(len(p) for p in wanted)  # room for @mentions, punctuation and emoji around it
    stmt = (
        select(Message.id, Message.contact_id, Message.text)
        .where(
            Message.direction == "in",
            col(Message.contact_id).is_not(None),
            col(Message.contact_id).not_in(done),
            col(Message.created_at) >= now - LOOKBACK,
            func.length(Message.text) <= longest,
            could_say(wanted),
        )
        .order_by(col(Message.created_at), col(Message.id))
    )
    return [(m, c, t) for m, c, t in session.exec(stmt) if m is not None and c is not None]


def _mark(session: Session, message_id: int, contact_id: int, now: datetime) -> list[int]:
    accounts = linked_accounts(session, contact_id)
    for account in accounts:
        row = session.get(ContactPrivacy, account) or ContactPrivacy(contact_id=account)
        if row.opted_out_at is None:
            row.opted_out_at, row.opt_out_message_id = now, message_id
            session.add(row)
    theirs = select(Conversation.id).where(col(Conversation.contact_id).in_(accounts))
    cancelled = session.execute(
        update(OutboundReply)
        .where(
            col(OutboundReply.status) == "pending",
            col(OutboundReply.idempotency_key).startswith(AUTOMATIC_PREFIX),
            col(OutboundReply.conversation_id).in_(theirs),
        )
        .values(status="failed", last_error=CANCELLED)
    )
    audit(
        session,
        "automation",
        ACTION,
        target=("contact", contact_id),
        detail={
            "message_id": message_id,
            "contact_ids": accounts,
            "automatic_messages_cancelled": cancelled.rowcount,  # type: ignore[attr-defined]
        },
        at=now,
    )
    return accounts


def record_opt_outs(engine: Engine, phrases: Iterable[str], now: datetime) -> int:
    """Mark the accounts whose customer wrote an opt-out phrase; returns how many accounts were marked."""
    wanted = {normalised(p) for p in phrases} - {""}
    if not wanted:
        return 0
    marked = 0
    try:
        with Session(engine) as session, session.begin():
            seen: set[int] = set()
            for message_id, contact_id, text in _candidates(session, wanted, now):
                if contact_id in seen or not _says_one_of(text, wanted):
                    continue
                accounts = _mark(session, message_id, contact_id, now)
                seen.update(accounts)
                marked += len(accounts)
    except (IntegrityError, OperationalError) as exc:  # another listener marked one first, or SQLite busy
        log.debug("opt-outs not recorded this tick: %s", exc)
        return 0
    return marked
