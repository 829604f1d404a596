"""One customer across networks: a person links contacts of different channels. Session-taking, never commits.

Community managers (``inbox.access``: "link") link and unlink; every change is audited. Linking two contacts
that already belong to different people merges those people; a person left with a single contact is
removed, so a person always has two contacts or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from inbox.access import require
from inbox.store import records as store
from inbox.store.folding import fold
from inbox.store.tables import Channel, Contact, Person, User

SEARCH_LIMIT = 20


class PeopleError(ValueError):
    """A link or unlink that cannot be done as asked."""


@dataclass(frozen=True, slots=True)
class ContactHit:
    """A contact as the customer panel lists it."""

    id: int
    handle: str | None
    display_name: str | None
    channel: str
    platform: str
    person_id: int | None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _hits(session: Session, where: Sequence[object], limit: int) -> list[ContactHit]:
    rows = session.exec(
        select(Contact, Channel.name, Channel.platform)
        .join(Channel, col(Channel.id) == col(Contact.channel_id))
        .where(*where)  # type: ignore[arg-type]
        .order_by(col(Contact.handle), col(Contact.id))
        .limit(limit)
    ).all()
    return [
        ContactHit(c.id or 0, c.handle, c.display_name, name, platform, c.person_id)
        for c, name, platform in rows
    ]


def search_contacts(
    session: Session, query: str, *, exclude: int | None = None, limit: int = SEARCH_LIMIT
) -> list[ContactHit]:
    """Contacts on any channel whose handle or name holds ``query`` (case and accents folded); empty: none."""
    text = query.strip().lstrip("@")
    if not text:
        return []
    pattern = _like(fold(text))  # folded like the queue's search: same hits on SQLite and PostgreSQL
    where: list[object] = [col(Contact.search_name).like(pattern, escape="\\")]
    if exclude is not None:
        where.append(col(Contact.id) != exclude)
    return _hits(session, where, limit)


def linked_contacts(session: Session, contact: Contact) -> list[ContactHit]:
    """The other contacts of the same person (none when the contact is not linked)."""
    if contact.person_id is None:
        return []
    return _hits(session, [Contact.person_id == contact.person_id, col(Contact.id) != contact.id], 100)


def _contact(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise PeopleError(f"no customer #{contact_id}")
    return contact


def _members(session: Session, person_id: int) -> list[Contact]:
    return list(session.exec(select(Contact).where(Contact.person_id == person_id)))


def link(session: Session, contact_id: int, other_id: int, user: User, now: datetime) -> int:
    """Make both contacts one person (merging people if both were linked already); returns the person id."""
    require(user, "link")
    if contact_id == other_id:
        raise PeopleError("a contact cannot be linked to itself")
    a, b = _contact(session, contact_id), _contact(session, other_id)
    if a.person_id is not None and a.person_id == b.person_id:
        return a.person_id
    person_id = a.person_id or b.person_id
    if person_id is None:
        person = Person(display_name=a.display_name or b.display_name, created_by=user.name, created_at=now)
        session.add(person)
        session.flush()
        assert person.id is not None
        person_id = person.id
    merged = [p for p in (a.person_id, b.person_id) if p is not None and p != person_id]
    for old in merged:
        for member in _members(session, old):
            member.person_id = person_id
        gone = session.get(Person, old)
        if gone is not None:
            session.delete(gone)
    a.person_id = b.person_id = person_id
    session.flush()
    store.audit(
        session,
        user.name,
        "person.linked",
        target=("contact", a.id),
        detail={"person": person_id, "contact": b.id, "merged": merged},
        at=now,
    )
    return person_id


def unlink(session: Session, contact_id: int, user: User, now: datetime) -> None:
    """Take a contact out of its person; a person left with one contact is removed."""
    require(user, "link")
    contact = _contact(session, contact_id)
    person_id = contact.person_id
    if person_id is None:
        return
    contact.person_id = None
    rest = [m for m in _members(session, person_id) if m.id != contact.id]
    if len(rest) <= 1:
        for m in rest:
            m.person_id = None
        session.flush()
        person = session.get(Person, person_id)
        if person is not None:
            session.delete(person)
            session.flush()
    store.audit(
        session,
        user.name,
        "person.unlinked",
        target=("contact", contact_id),
        detail={"person": person_id},
        at=now,
    )


def channel_platforms(session: Session) -> dict[str, str]:
    """Channel name → platform, to label conversations from other channels."""
    return {name: platform for name, platform in session.exec(select(Channel.name, Channel.platform)).all()}
