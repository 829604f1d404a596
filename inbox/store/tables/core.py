"""The stored data: SQLModel tables. Schema changes go through Alembic (inbox/store/migrations).

Every datetime is stored as naive UTC and read back as tz-aware UTC (see ``UTCDateTime``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, TypeDecorator, UniqueConstraint, event
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from inbox.store.folding import fold, fold_name


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns them aware (UTC). Naive input is refused."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime refused by the store: {value!r}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _when(*, nullable: bool = True, index: bool = False) -> Any:
    """A UTC datetime column; a NOT NULL one defaults to the current time."""
    column: Column[datetime] = Column(UTCDateTime(), nullable=nullable, index=index)
    if nullable:
        return Field(default=None, sa_column=column)
    return Field(default_factory=utcnow, sa_column=column)


def _json(default: Any) -> Any:
    return Field(default_factory=lambda: type(default)(), sa_column=Column(JSON, nullable=False))


class Channel(SQLModel, table=True):
    """A brand account on one platform, as configured in config/channels.toml."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    platform: str
    account: str  # the brand's handle
    account_id: str | None = None  # the brand's platform id, learnt from the platform
    read_month: str | None = None  # "YYYY-MM" the counter below belongs to
    reads_used: int = 0  # posts read this month (X bills reads)
    budget_warned_month: str | None = None  # the month the 80% warning was given
    # stand-by (inbox.ingest.standby): an admin paused reading or sending; NULL: running
    listening_paused_at: datetime | None = _when()
    listening_paused_by: str | None = None
    sending_paused_at: datetime | None = _when()
    sending_paused_by: str | None = None
    created_at: datetime | None = _when(nullable=False)


class Contact(SQLModel, table=True):
    """A customer on one platform."""

    __table_args__ = (UniqueConstraint("channel_id", "platform_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True)
    platform_id: str
    handle: str | None = Field(default=None, index=True)
    display_name: str | None = None
    followers: int | None = None
    tags: list[str] = _json([])
    person_id: int | None = Field(default=None, index=True)  # links one person's handles across channels
    created_at: datetime | None = _when(nullable=False)
    updated_at: datetime | None = _when(nullable=False)
    # handle and display name folded (inbox.store.folding), kept by the hooks at the end of this module
    search_name: str | None = Field(
        default=None, sa_column=Column(Text, nullable=True, default=lambda ctx: _folded_name(ctx))
    )


class Conversation(SQLModel, table=True):
    """A public thread or a private (DM) conversation on one channel."""

    __table_args__ = (
        UniqueConstraint("channel_id", "visibility", "thread_key"),
        Index("ix_conversation_queue", "status", "sla_due_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True)
    thread_key: str
    visibility: str  # public | private
    kind: str  # mention | dm | listening | comment
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    status: str = "open"  # open | pending | resolved
    snoozed_until: datetime | None = _when(index=True)  # pending until then (inbox.desk.snooze)
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    first_inbound_at: datetime | None = _when(index=True)  # report cohorts
    last_inbound_at: datetime | None = _when()
    last_message_at: datetime | None = _when(index=True)
    last_outbound_at: datetime | None = _when()
    first_response_at: datetime | None = _when()
    sla_due_at: datetime | None = _when()
    clock_started_at: datetime | None = _when()  # the customer message the running clock started from
    first_response_due_at: datetime | None = _when()  # set when the first clock starts; reports judge by it
    first_clock_at: datetime | None = _when()  # its start: first message, or the next if closed unanswered
    urgency: str | None = None
    sentiment: str | None = None
    language: str | None = Field(default=None, index=True)  # the queue's language filter options
    reason: str | None = Field(default=None, index=True)  # the latest inbound contact reason but "other"
    tags: list[str] = _json([])
    created_at: datetime | None = _when(nullable=False)


class Message(SQLModel, table=True):
    """One inbound or outbound message. Unique on (channel, platform id): ingestion is idempotent."""

    __table_args__ = (
        UniqueConstraint("channel_id", "platform_id"),
        Index("ix_message_conversation_time", "conversation_id", "created_at"),
        Index(
            "ix_message_volume", "direction", "created_at", "channel_id", "sentiment"
        ),  # covers hour counts
        Index("ix_message_stored", "direction", "ingested_at"),  # what was stored since (incidents' joining)
    )
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id")
    conversation_id: int = Field(foreign_key="conversation.id")
    platform_id: str
    direction: str  # in | out
    visibility: str  # public | private
    kind: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    author_platform_id: str | None = None
    author_handle: str | None = None
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    created_at: datetime | None = _when(nullable=False, index=True)
    reply_to_platform_id: str | None = None
    raw: dict[str, Any] = _json({})
    ingested_at: datetime | None = _when(nullable=False)
    language: str | None = None
    sentiment: str | None = None
    sentiment_scores: dict[str, Any] = _json({})
    urgency: str | None = None
    urgency_reasons: list[Any] = _json([])
    pii: list[Any] = _json([])  # [{"kind": "email", "start": 3, "end": 20}, ...]
    reason: str | None = None  # contact reason (config/nlp.toml [reasons].labels)
    reason_scores: dict[str, Any] = _json({})
    stream: str | None = None  # the stream it was read from (``search:<query>`` for listening), if known
    hidden_at: datetime | None = _when()  # hidden on the platform (Facebook/Instagram comment), by the outbox
    moderation: str | None = None  # spam | insults | hate (moderated), or "skipped" (left to people)
    # ``text`` folded for search (inbox.store.folding), kept by the hooks at the end of this module
    search_text: str | None = Field(
        default=None, sa_column=Column(Text, nullable=True, default=lambda ctx: _folded_text(ctx))
    )


class ListeningCursor(SQLModel, table=True):
    """Where a channel's stream was read up to, and when it may be read again."""

    __tablename__ = "listening_cursor"

    __table_args__ = (UniqueConstraint("channel_id", "stream"),)
    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id")
    stream: str
    cursor: str | None = Field(default=None, sa_column=Column(Text))
    last_poll_at: datetime | None = _when()
    last_success_at: datetime | None = _when()
    retry_at: datetime | None = _when()
    held_until: datetime | None = _when()  # left unread until then by the month's read budget share
    failures: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    lease_owner: str | None = None  # the worker polling this stream now
    lease_until: datetime | None = _when()  # after this, another worker may take over


class OutboundReply(SQLModel, table=True):
    """The outbox: a reply is written here first, then delivered by a sender, at most once."""

    __tablename__ = "outbound_reply"
    __table_args__ = (Index("ix_outbound_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    channel_id: int = Field(foreign_key="channel.id")
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    visibility: str  # public (reply in thread) | private (direct message)
    in_reply_to: str | None = None  # platform id answered publicly
    recipient_id: str | None = None  # platform user id for a private message
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = "pending"  # pending | sending | sent | failed
    action: str = Field(default="reply", sa_column_kwargs={"server_default": "reply"})  # or: hide | unhide
    attempts: int = 0
    next_attempt_at: datetime | None = _when()
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    platform_id: str | None = None
    created_by: str | None = None
    created_at: datetime | None = _when(nullable=False)
    sent_at: datetime | None = _when()
    # an approved platform template instead of free text (WhatsApp outside its 24-hour window):
    # {"name": ..., "language": ..., "parameters": [...]}; ``text`` then holds what the customer will read
    platform_template: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # an attempt whose answer was lost (timeout, reset, 5xx, a killed sender) may have posted: the window in
    # which such attempts ran, where the outbox looks on the platform before any new attempt (outbox.unsure)
    unsure_from: datetime | None = _when()
    unsure_until: datetime | None = _when()
    checked_by: str | None = None  # the person who retried an uncertain reply: post if the look finds nothing
    # when the current claim was taken, until its POST starts: a claim whose sender died with it set never
    # posted (queued again); None (a POST started, or a row older than the column) may have: looked for first
    unposted_claim_at: datetime | None = _when()
    # the reply template the agent wrote it from (the templates page counts their use)
    template: str | None = Field(default=None, index=True)


class AuditEvent(SQLModel, table=True):
    """Who did what, when. Written for every agent action and every job run that changes data."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_target", "target_type", "target_id"),)  # one thing's history

    id: int | None = Field(default=None, primary_key=True)
    at: datetime | None = _when(nullable=False, index=True)
    actor: str
    action: str = Field(index=True)
    target_type: str | None = None
    target_id: str | None = None
    detail: dict[str, Any] = _json({})


class QuarantinedItem(SQLModel, table=True):
    """A payload item that could not be ingested, kept whole with the reason."""

    __tablename__ = "quarantined_item"

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id")
    stream: str
    external_id: str | None = None
    error: str = Field(sa_column=Column(Text, nullable=False))
    raw: dict[str, Any] = _json({})
    created_at: datetime | None = _when(nullable=False)


class User(SQLModel, table=True):
    """An agent, community manager or admin who signs in to the inbox."""

    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    display_name: str | None = None
    password_hash: str
    role: str  # agent | manager | admin
    languages: list[str] = _json([])
    language: str | None = None  # of the screens (fr | en); None: the charter's [ui] default_language
    capacity: int = 20  # open conversations before auto-assignment skips this agent
    channels: list[str] = _json([])  # the channels they work (inbox.desk.channel_scope); empty: all
    active: bool = True
    active_until: datetime | None = _when()  # a temporary account cannot sign in from then on
    # a password an admin chose (added on the Team page, reset): its owner chooses their own at next sign-in
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime | None = _when(nullable=False)


# The folded search columns follow their sources. A Core INSERT without them (ingestion's multi-row insert)
# gets them from the column defaults; the ORM sets them before every INSERT and UPDATE it flushes. A Core
# UPDATE of ``message.text`` or of a contact's names must set them itself.


def _folded_text(context: Any) -> str:
    return fold(context.get_current_parameters().get("text"))


def _folded_name(context: Any) -> str:
    params = context.get_current_parameters()
    return fold_name(params.get("handle"), params.get("display_name"))


@event.listens_for(Message, "before_insert")
@event.listens_for(Message, "before_update")
def _fold_message(_mapper: Any, _connection: Any, message: Message) -> None:
    message.search_text = fold(message.text)


@event.listens_for(Contact, "before_insert")
@event.listens_for(Contact, "before_update")
def _fold_contact(_mapper: Any, _connection: Any, contact: Contact) -> None:
    contact.search_name = fold_name(contact.handle, contact.display_name)
