"""Internal notes between agents on a conversation, never sent to the customer. Never commits; "work" only.

Rule: a note is stored with bank data masked (cards, IBANs, NIR; ``inbox.bank_data``), like the messages it
is about, so a card number copied into a note is not kept in clear either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from inbox import bank_data
from inbox.access import require
from inbox.store import records as store
from inbox.store.tables import Note, User

MAX_NOTE = 4000


@dataclass(frozen=True, slots=True)
class NoteView:
    author: str
    at: datetime
    text: str


def add_note(session: Session, conversation_id: int, user: User, text: str, now: datetime) -> Note:
    """Add a note, bank data masked (audited). Raises ValueError on an empty or too long note."""
    require(user, "work")
    text = bank_data.mask_text(text.strip())
    if not text:
        raise ValueError("a note cannot be empty")
    if len(text) > MAX_NOTE:
        raise ValueError(f"a note is at most {MAX_NOTE} characters")
    assert user.id is not None
    note = Note(conversation_id=conversation_id, author_id=user.id, text=text, created_at=now)
    session.add(note)
    session.flush()
    store.audit(
        session,
        user.name,
        "note.added",
        target=("conversation", conversation_id),
        detail={"note": note.id},
        at=now,
    )
    return note


def notes_for(session: Session, conversation_id: int) -> list[NoteView]:
    stmt = (
        select(Note, User.display_name, User.name)
        .join(User, col(User.id) == col(Note.author_id))
        .where(Note.conversation_id == conversation_id)
        .order_by(col(Note.created_at), col(Note.id))
    )
    return [
        NoteView(display or name, note.created_at, note.text) for note, display, name in session.exec(stmt)
    ]
