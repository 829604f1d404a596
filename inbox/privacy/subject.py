"""Whose data: ``CHANNEL:HANDLE_OR_ID`` to the contacts of one person across every linked account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from inbox.i18n import _
from inbox.store.erasure_lock import hold_erasures, write_lock
from inbox.store.records import audit
from inbox.store.tables import Channel, Contact, ContactPrivacy, Message


class SubjectError(ValueError):
    """The reference names nobody (or is malformed); the message says which part."""


@dataclass(frozen=True, slots=True)
class Subject:
    """One person: the account named, and every account linked to it (the named one first)."""

    ref: str
    contact_ids: tuple[int, ...]
    person_id: int | None

    @property
    def contact_id(self) -> int:
        return self.contact_ids[0]


def _named(session: Session, ref: str) -> Contact:
    channel_name, sep, who = ref.partition(":")
    who = who.strip().removeprefix("@")
    if not sep or not channel_name or not who:
        raise SubjectError(
            _("'{ref}': write CHANNEL:HANDLE_OR_ID, e.g. x-acme:jane or x-acme:12345").format(ref=ref)
        )
    channel = session.exec(select(Channel).where(Channel.name == channel_name)).first()
    if channel is None:
        known = ", ".join(session.exec(select(Channel.name).order_by(Channel.name)).all()) or _("none")
        raise SubjectError(
            _("no channel named '{channel}'; known: {known}").format(channel=channel_name, known=known)
        )
    mine = select(Contact).where(Contact.channel_id == channel.id)
    found = session.exec(mine.where(Contact.platform_id == who)).first()
    if found is None:
        handle = func.lower(col(Contact.handle)) == who.lower()
        found = session.exec(mine.where(handle).order_by(col(Contact.id))).first()
    if found is None:  # a former id: a WhatsApp customer who changed number since (inbox.ingest.moves)
        wrote = select(Message.contact_id).where(
            Message.channel_id == channel.id, Message.direction == "in", Message.author_platform_id == who
        )
        former = session.exec(wrote.where(col(Message.contact_id).is_not(None))).first()
        found = session.get(Contact, former) if former is not None else None
    if found is None:
        raise SubjectError(
            _("nobody known as '{who}' on {channel} (handle or platform id)").format(
                who=who, channel=channel_name
            )
        )
    return found


def find_subject(session: Session, ref: str) -> Subject:
    """The person ``ref`` names, with every contact linked to them."""
    contact = _named(session, ref)
    assert contact.id is not None
    ids = [contact.id]
    if contact.person_id is not None:
        linked = select(Contact.id).where(Contact.person_id == contact.person_id).order_by(col(Contact.id))
        ids += [i for i in session.exec(linked).all() if i is not None and i != contact.id]
    return Subject(ref, tuple(ids), contact.person_id)


def holds(session: Session, subject: Subject) -> list[str]:
    """The legal holds set on any of the person's accounts (why their data must be kept)."""
    rows = session.exec(
        select(ContactPrivacy.legal_hold).where(
            col(ContactPrivacy.contact_id).in_(subject.contact_ids),
            col(ContactPrivacy.legal_hold).is_not(None),
        )
    ).all()
    return [r for r in rows if r]


def set_hold(
    session: Session,
    subject: Subject,
    reason: str | None,
    *,
    actor: str,
    now: datetime,
    release_reason: str | None = None,
) -> None:
    """Put every account of ``subject`` under legal hold for ``reason``, or lift it (None); audited, a
    lifted hold with ``release_reason`` (why it no longer applies). An erasure under way ends first: a hold is
    never recorded before an erasure that read "no hold" (one asked after it finds the hold and refuses)."""
    hold_erasures(session)
    write_lock(session)
    for contact_id in subject.contact_ids:
        state = session.get(ContactPrivacy, contact_id) or ContactPrivacy(contact_id=contact_id)
        state.legal_hold, state.hold_by, state.hold_at = reason, actor, now
        session.add(state)
    action = "privacy.hold" if reason else "privacy.release"
    why = reason or release_reason
    detail = {"contacts": list(subject.contact_ids), **({"reason": why} if why else {})}
    audit(session, actor, action, target=("contact", subject.contact_id), detail=detail, at=now)
