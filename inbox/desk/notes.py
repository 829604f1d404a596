"""Internal notes between agents on a conversation, never sent to the customer. Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, Session, SQLModel, col, select

from inbox import store
from inbox.models import User, UTCDateTime

MAX_NOTE = 4000


class Note(SQLModel, table=True):
    """A note an agent left on a conversation for colleagues."""

    __tablename__ = "note"
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


@dataclass(frozen=True, slots=True)
class NoteView:
    author: str
    at: datetime
    text: str


def add_note(session: Session, conversation_id: int, user: User, text: str, now: datetime) -> Note:
    """Add a note (audited). Raises ValueError on an empty or too long note."""
    text = text.strip()
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
