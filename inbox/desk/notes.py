"""Internal notes between agents on a conversation, never sent to the customer. Never commits; "work" only.

Rules: a note is stored with bank data masked (cards, IBANs, NIR; ``inbox.bank_data``), like the messages it
is about, so a card number copied into a note is not kept in clear either. A note may mention colleagues:
"@morgan" (a user name), "@MorganLeroy" (a display name without its spaces) or "@Morgan" (its first word,
when no one else shares it), any case. The active users it names, author aside, are kept in its audit event
(``mentions``) and told by ``inbox.desk.notifications``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from inbox import bank_data
from inbox.access import require
from inbox.store import records as store
from inbox.store.tables import Note, User

MAX_NOTE = 4000
_MENTION = re.compile(r"(?<![\w@.])@([^\W_][\w.-]{0,63})")  # not an e-mail address's "@"


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
    named = mentions(session, text, user.id)
    store.audit(
        session,
        user.name,
        "note.added",
        target=("conversation", conversation_id),
        detail={"note": note.id, **({"mentions": named} if named else {})},
        at=now,
    )
    return note


def mentions(session: Session, text: str, author_id: int) -> list[int]:
    """The ids of the active users ``text`` mentions ("@morgan", "@Morgan", "@jean-pierre."), author aside,
    in the order first mentioned."""
    said = [m.rstrip(".-").lower() for m in _MENTION.findall(text)]
    if not said:
        return []
    users = session.exec(select(User).where(col(User.active).is_(True), User.id != author_id)).all()
    first_names = Counter(u.display_name.split()[0].lower() for u in users if u.display_name)
    by_handle: dict[str, int] = {}
    for u in users:
        assert u.id is not None
        by_handle.setdefault(u.name.lower(), u.id)
        if u.display_name and u.display_name.split():
            by_handle.setdefault("".join(u.display_name.split()).lower(), u.id)
            first = u.display_name.split()[0].lower()
            if first_names[first] == 1:  # "@Amélie" for Amélie Dupont, unless two Amélie
                by_handle.setdefault(first, u.id)
    return list(dict.fromkeys(by_handle[h] for h in said if h in by_handle))


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
