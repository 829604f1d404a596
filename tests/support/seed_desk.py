"""Seed rows for the desk tests (queue, composer, pages): one X channel, customers and conversations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.desk import auth
from inbox.store.tables import Channel, Contact, Conversation, Message

BRAND = "AcmeCare"


@dataclass
class Seeded:
    channel_id: int = 0
    users: dict[str, int] = field(default_factory=dict)
    conversations: dict[str, int] = field(default_factory=dict)


def add_user(session: Session, name: str, role: str = "agent", password: str | None = None) -> int:
    user = auth.create_user(
        session,
        name,
        password or f"{name}-pw",
        role,
        actor="test",
        display_name=name.capitalize(),
        languages=("en", "fr"),
    )
    assert user.id is not None
    return user.id


def add_conversation(
    session: Session,
    channel_id: int,
    *,
    handle: str,
    text: str,
    received: datetime,
    due: datetime | None,
    visibility: str = "public",
    urgency: str | None = "normal",
    tags: list[str] | None = None,
    status: str = "open",
    language: str = "en",
    sentiment: str | None = "neutral",
    display_name: str | None = None,
    contact: Contact | None = None,
) -> int:
    """A conversation with one inbound customer message, from ``contact`` (default: a new one)."""
    if contact is None:
        contact = Contact(
            channel_id=channel_id,
            platform_id=f"u-{handle}",
            handle=handle,
            followers=120,
            display_name=display_name or handle.capitalize(),
            tags=tags or [],
            created_at=received,
            updated_at=received,
        )
        session.add(contact)
        session.flush()
    thread_key = f"t-{handle}-{int(received.timestamp())}"
    conv = Conversation(
        channel_id=channel_id,
        thread_key=thread_key,
        visibility=visibility,
        kind="dm" if visibility == "private" else "mention",
        contact_id=contact.id,
        status=status,
        first_inbound_at=received,
        last_inbound_at=received,
        last_message_at=received,
        sla_due_at=due,
        urgency=urgency,
        sentiment=sentiment,
        language=language,
        created_at=received,
    )
    session.add(conv)
    session.flush()
    assert conv.id is not None
    session.add(
        Message(
            channel_id=channel_id,
            conversation_id=conv.id,
            platform_id=f"m-{conv.id}",
            direction="in",
            visibility=visibility,
            kind=conv.kind,
            text=text,
            author_platform_id=contact.platform_id,
            author_handle=handle,
            contact_id=contact.id,
            created_at=received,
            ingested_at=received,
        )
    )
    return conv.id


def seed(engine: Engine, now: datetime) -> Seeded:
    """Three open conversations (one breached, one nearly due, one DM), one resolved, and two agents."""
    out = Seeded()
    with Session(engine) as session, session.begin():
        channel = Channel(name="x-acme", platform="x", account=BRAND, account_id="1000000000000000001")
        session.add(channel)
        session.flush()
        assert channel.id is not None
        out.channel_id = channel.id
        out.users = {
            "alice": add_user(session, "alice"),
            "bruno": add_user(session, "bruno"),
            "maya": add_user(session, "maya", "manager"),
        }
        ago = timedelta(minutes=1)
        out.conversations = {
            "late": add_conversation(
                session,
                channel.id,
                handle="bob",
                received=now - 65 * ago,
                due=now - 5 * ago,
                text="@AcmeCare my parcel never arrived, order still not here",
                urgency="high",
                sentiment="negative",
            ),
            "soon": add_conversation(
                session,
                channel.id,
                handle="jane",
                received=now - 50 * ago,
                due=now + 10 * ago,
                text="@AcmeCare quick question about my bill",
                tags=["vip"],
            ),
            "dm": add_conversation(
                session,
                channel.id,
                handle="kim",
                received=now - 20 * ago,
                due=now + 40 * ago,
                visibility="private",
                text="Bonjour, mon compte est bloqué",
                language="fr",
            ),
            "done": add_conversation(
                session,
                channel.id,
                handle="old",
                received=now - 600 * ago,
                due=None,
                status="resolved",
                text="thanks, all good",
            ),
        }
    return out


def add_toot(engine: Engine, out: Seeded, now: datetime) -> Seeded:
    """``out`` with a mastodon-acme channel and its conversation "toot", the most urgent (late by an hour)."""
    with Session(engine) as session, session.begin():
        channel = Channel(name="mastodon-acme", platform="mastodon", account="acme")
        session.add(channel)
        session.flush()
        assert channel.id is not None
        out.conversations["toot"] = add_conversation(
            session,
            channel.id,
            handle="sam",
            text="@acme is it down?",
            received=now - timedelta(hours=2),
            due=now - timedelta(hours=1),
        )
    return out


def add_late_message(
    db_url: str, seeded: Seeded, platform_id: str, text: str, at: datetime, raw: dict[str, Any] | None = None
) -> None:
    """One more public customer mention in the seed's "late" conversation (the UI tests' own database)."""
    from inbox.store.engine import open_engine

    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        s.add(
            Message(
                channel_id=seeded.channel_id,
                conversation_id=seeded.conversations["late"],
                platform_id=platform_id,
                direction="in",
                visibility="public",
                kind="mention",
                text=text,
                created_at=at,
                raw=raw or {},
            )
        )
    engine.dispose()
