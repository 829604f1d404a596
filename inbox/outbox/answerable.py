"""Whether a reply can be queued: a customer message to answer, from a customer not erased. Session-taking;
never commits.

An agent's conversation page (or an automatic job) may have read the conversation before the customer's
erasure and queue its reply after it: the reply would keep the agent's words about them ("Olga, order 4411
leaves today") addressed to the erased account. So no reply is queued to an erased customer: the check
waits for an erasure under way (``inbox.store.erasure_lock``), then reads again who wrote the message being
answered.
"""

from __future__ import annotations

from sqlmodel import Session

from inbox.store.erasure_lock import hold_erasures, write_lock
from inbox.store.gone import TOMBSTONE
from inbox.store.tables import Contact, Message


class NothingToAnswer(ValueError):
    """A public reply needs a customer message in the thread; a private one needs a known customer."""


class CustomerErased(NothingToAnswer):
    """The customer being answered had their data erased: nothing is sent to them."""


def refuse_erased(session: Session, last: Message) -> None:
    """Raise ``CustomerErased`` when ``last`` (the message a reply answers) or its author was erased, once any
    erasure under way has ended (PostgreSQL: the erasure lock shared; SQLite: the write lock)."""
    hold_erasures(session)
    write_lock(session)
    session.refresh(last)
    contact = session.get(Contact, last.contact_id) if last.contact_id else None
    if contact is not None:
        session.refresh(contact)
    if last.platform_id.startswith(TOMBSTONE) or (contact and contact.platform_id.startswith(TOMBSTONE)):
        raise CustomerErased("this customer's data was erased: nothing can be sent to them")
