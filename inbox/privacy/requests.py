"""A person's rights served by a signed-in manager (the web app's Privacy action): export and erase. Session-
or engine-taking.

Rules: only a community manager or an admin (``inbox.access``: "privacy"); a reason is required and goes to
the audit log; an erasure is confirmed by typing the customer's handle (or platform id) exactly, and a legal
hold on any linked account refuses it (``erase.LegalHold``). Only an admin puts a person under legal hold or
lifts it ("legal_hold"), with a reason, so the manager who erases is not the one who lifts the hold. The
work is ``record`` and ``erase``'s, as for ``inbox privacy``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.access import Actor, require
from inbox.i18n import _
from inbox.privacy import erase, record
from inbox.privacy.subject import Subject, SubjectError, find_subject, holds, set_hold
from inbox.store.erasure_lock import hold_pages
from inbox.store.records import audit
from inbox.store.tables import Channel, Contact


class RequestError(ValueError):
    """The request is incomplete: no reason, or the confirmation does not match."""


def subject_of(session: Session, contact_id: int) -> Subject:
    """The person behind a contact, with every account linked to them (``CHANNEL:PLATFORM_ID``)."""
    contact = session.get(Contact, contact_id)
    channel = session.get(Channel, contact.channel_id) if contact is not None else None
    if contact is None or channel is None:
        raise SubjectError(_("no contact {id}").format(id=contact_id))
    return find_subject(session, f"{channel.name}:{contact.platform_id}")


def confirmation(session: Session, contact_id: int) -> str:
    """What a manager types to confirm an erasure: the customer's handle, else their platform id."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise SubjectError(_("no contact {id}").format(id=contact_id))
    return contact.handle or contact.platform_id


def _reason(reason: str) -> str:
    if not reason.strip():
        raise RequestError(_("a reason is required"))
    return reason.strip()


def export_record(
    session: Session,
    subject: Subject,
    *,
    actor: str,
    reason: str,
    now: datetime,
    via: str,
    form: str = "json",
) -> dict[str, Any]:
    """Everything held on ``subject`` (``record.person_record``); audited with who, why, whose and which copy
    (``form``: json, or html for the page the person reads). One point in time: pages under way (the
    listener, webhooks, a backfill) are stored first, and a page that comes while it reads waits for it (its
    message goes in the next export), as for an erasure."""
    why = _reason(reason)
    hold_pages(session)
    data = record.person_record(session, subject, now)
    detail = {"reason": why, "contacts": list(subject.contact_ids), "format": form, "via": via}
    audit(session, actor, "privacy.export", target=("contact", subject.contact_id), detail=detail, at=now)
    return data


def export_for(session: Session, by: Actor, contact_id: int, reason: str, now: datetime) -> dict[str, Any]:
    """A manager's export of the person behind ``contact_id`` (PermissionDenied, RequestError); the web
    prepares both copies at once (the JSON and the page), so it is audited as ``json+html``."""
    require(by, "privacy")
    subject = subject_of(session, contact_id)
    return export_record(session, subject, actor=by.name, reason=reason, now=now, via="web", form="json+html")


def hold_reasons(session: Session, contact_id: int) -> list[str]:
    """Why the person behind ``contact_id`` is under legal hold (empty: no hold)."""
    return list(dict.fromkeys(holds(session, subject_of(session, contact_id))))


def hold_for(session: Session, by: Actor, contact_id: int, reason: str, now: datetime) -> None:
    """An admin puts the person behind ``contact_id`` under legal hold (PermissionDenied, RequestError)."""
    require(by, "legal_hold")
    set_hold(session, subject_of(session, contact_id), _reason(reason), actor=by.name, now=now)


def release_for(session: Session, by: Actor, contact_id: int, reason: str, now: datetime) -> None:
    """An admin lifts the person's legal hold, saying why (PermissionDenied, RequestError)."""
    require(by, "legal_hold")
    why = _reason(reason)
    set_hold(session, subject_of(session, contact_id), None, actor=by.name, now=now, release_reason=why)


def erase_for(
    engine: Engine, by: Actor, contact_id: int, reason: str, typed: str, now: datetime
) -> erase.ErasureReport:
    """A manager's erasure of the person behind ``contact_id``, then the database compacted.

    Raises PermissionDenied, RequestError (no reason, confirmation not matching) or erase.LegalHold."""
    require(by, "privacy")
    why = _reason(reason)
    with Session(engine) as session, session.begin():
        expected = confirmation(session, contact_id)
        if typed.strip().removeprefix("@") != expected:
            raise RequestError(_("the confirmation does not match the customer's handle"))
        subject = subject_of(session, contact_id)
        report = erase.erase_subject(session, subject, actor=by.name, reason=why, now=now)
    erase.compact(engine)
    return report
