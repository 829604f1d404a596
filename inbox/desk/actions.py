"""What an agent does to a conversation: read it, assign, set status and tags. Every change is audited.

Session-taking; never commits. Replying itself is ``inbox.desk.replying``. Each change first asks
``inbox.access.require`` ("work"; "moderate" to lift a moderation mark), then whether the user works the
conversation's channel (``inbox.desk.channel_scope``); a conversation is assigned only to someone who works
its channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from inbox.access import allowed, require
from inbox.charter.deadlines import DuePolicy
from inbox.desk import channel_scope
from inbox.desk.queue import STATUSES, first_line
from inbox.i18n import _
from inbox.outbox import delivery as outbox
from inbox.outbox.unsure import RetryOutcome, retry_outcomes
from inbox.replies import moderation
from inbox.store import records as store
from inbox.store.tables import Channel, Contact, Conversation, Message, OutboundReply, User

MAX_TAGS = 20
EARLIER_SHOWN = 20  # the customer's most recent other conversations shown beside one


class DeskError(ValueError):
    """An action that cannot be done as asked (unknown conversation or user, bad status)."""


class ReasonRequired(DeskError):
    """Re-opening a closed conversation needs a reason: who went back to a customer's file, and why."""


@dataclass(frozen=True)
class EarlierConversation:
    id: int
    channel: str
    visibility: str
    status: str
    started: datetime | None
    snippet: str


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    channel: Channel
    contact: Contact | None
    assignee: User | None
    messages: list[Message]
    replies: list[OutboundReply]  # the outbox rows not yet delivered (pending, sending, failed)
    earlier: list[EarlierConversation] = field(default_factory=list)
    retries: dict[str, RetryOutcome] = field(default_factory=dict)  # by message platform id: a Retry's look

    @property
    def group_title(self) -> str | None:
        """The name of the group the conversation happens in (a Telegram group), from its newest message."""
        for m in reversed(self.messages):
            update = m.raw.get("update") if m.direction == "in" and isinstance(m.raw, dict) else None
            for key in ("message", "edited_message"):
                said = update.get(key) if isinstance(update, dict) else None
                chat = said.get("chat") if isinstance(said, dict) else None
                if (
                    isinstance(chat, dict)
                    and chat.get("type") != "private"
                    and isinstance(chat.get("title"), str)
                ):
                    return str(chat["title"])
        return None


def _conversation(session: Session, conv_id: int) -> Conversation:
    conv = session.get(Conversation, conv_id)
    if conv is None:
        raise DeskError(_("no conversation #{id}").format(id=conv_id))
    return conv


def workable(session: Session, conv_id: int, actor: User) -> Conversation:
    """The conversation, if ``actor`` works its channel (DeskError otherwise)."""
    conv = _conversation(session, conv_id)
    if not channel_scope.sees(session, actor, conv):
        raise DeskError(channel_scope.refusal(session, conv))
    return conv


def load(session: Session, conv_id: int, user: User | None = None) -> ConversationView:
    """Everything the conversation page shows, read in one session. For ``user``: DeskError unless they work
    its channel, and the customer's earlier conversations on those channels only."""
    conv = workable(session, conv_id, user) if user is not None else _conversation(session, conv_id)
    channel = session.get(Channel, conv.channel_id)
    assert channel is not None
    contact = session.get(Contact, conv.contact_id) if conv.contact_id else None
    assignee = session.get(User, conv.assignee_id) if conv.assignee_id else None
    undelivered = session.exec(
        select(OutboundReply)
        .where(OutboundReply.conversation_id == conv_id, OutboundReply.status != "sent")
        .order_by(col(OutboundReply.created_at))
    ).all()
    return ConversationView(
        conv,
        channel,
        contact,
        assignee,
        store.thread(session, conv_id),
        list(undelivered),
        earlier_conversations(
            session, conv, contact, channels=channel_scope.effective(session, user) if user else None
        ),
        retry_outcomes(session, conv_id),
    )


def earlier_conversations(
    session: Session,
    conv: Conversation,
    contact: Contact | None,
    limit: int = EARLIER_SHOWN,
    channels: channel_scope.Scope = None,
) -> list[EarlierConversation]:
    """The customer's other conversations, on every channel where their handles are linked (person_id), or
    on those of ``channels`` (a user's scope) only."""
    if contact is None:
        return []
    contact_ids: Sequence[int | None] = [contact.id]
    if contact.person_id is not None:
        contact_ids = session.exec(select(Contact.id).where(Contact.person_id == contact.person_id)).all()
    stmt = (
        select(Conversation, Channel.name)
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .where(col(Conversation.contact_id).in_(contact_ids), Conversation.id != conv.id)
    )
    if channels is not None:
        stmt = stmt.where(col(Channel.name).in_(sorted(channels)))
    rows = session.exec(stmt.order_by(col(Conversation.first_inbound_at).desc()).limit(limit)).all()
    out = []
    for other, channel in rows:
        first = session.exec(
            select(Message.text)
            .where(Message.conversation_id == other.id)
            .order_by(col(Message.created_at), col(Message.id))
            .limit(1)
        ).first()
        out.append(
            EarlierConversation(
                other.id or 0,
                channel,
                other.visibility,
                other.status,
                other.first_inbound_at,
                first_line(first or "", 100),
            )
        )
    return out


def record_view(session: Session, conv_id: int, user: User, now: datetime) -> None:
    """Who opened which conversation, when (GDPR traceability)."""
    store.audit(session, user.name, "conversation.viewed", target=("conversation", conv_id), at=now)


def assign(session: Session, conv_id: int, assignee_id: int | None, actor: User, now: datetime) -> None:
    require(actor, "work")
    conv = workable(session, conv_id, actor)
    assignee = session.get(User, assignee_id) if assignee_id is not None else None
    if assignee_id is not None and assignee is None:
        raise DeskError(_("no user #{id}").format(id=assignee_id))
    if assignee is not None and not channel_scope.sees(session, assignee, conv):
        raise DeskError(channel_scope.refusal(session, conv, assignee))
    before, conv.assignee_id = conv.assignee_id, assignee_id
    store.audit(
        session,
        actor.name,
        "conversation.assigned",
        target=("conversation", conv_id),
        detail={"from": before, "to": assignee_id},
        at=now,
    )


def set_status(
    session: Session, conv_id: int, status: str, actor: User, now: datetime, *, reason: str | None = None
) -> None:
    """Set the status; audited. A resolved conversation is re-opened (open or pending) only with a
    ``reason`` (ReasonRequired otherwise), kept in the audit event. Resolving stops the response clock, and
    re-opening starts none: nothing waits for an answer until the customer writes (``threads.on_inbound``)."""
    require(actor, "work")
    if status not in STATUSES:
        raise DeskError(_("status must be one of {statuses}").format(statuses=", ".join(STATUSES)))
    conv = workable(session, conv_id, actor)
    why = (reason or "").strip()
    if conv.status == "resolved" and status != "resolved" and not why:
        raise ReasonRequired(_("say why you reopen this closed conversation"))
    before, conv.status = conv.status, status
    conv.snoozed_until = None  # a status set by hand ends a snooze (inbox.desk.snooze)
    if status == "resolved":
        conv.sla_due_at = conv.clock_started_at = None
    detail = {"from": before, "to": status, **({"reason": why} if why and before != status else {})}
    store.audit(
        session, actor.name, "conversation.status", target=("conversation", conv_id), detail=detail, at=now
    )


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Trimmed, lower-case, unique tags (at most MAX_TAGS)."""
    out = [t.strip().lower().lstrip("#") for t in tags]
    return list(dict.fromkeys(t for t in out if t))[:MAX_TAGS]


def set_tags(session: Session, conv_id: int, tags: Sequence[str], actor: User, now: datetime) -> None:
    require(actor, "work")
    conv = workable(session, conv_id, actor)
    cleaned = clean_tags(tags)
    if not allowed(actor, "moderate"):  # the moderation marks stay as they are
        kept = [t for t in conv.tags if t.startswith(moderation.TAG_PREFIX)]
        cleaned = [*kept, *moderation.without_moderation(cleaned)]
    before, conv.tags = list(conv.tags), cleaned
    store.audit(
        session,
        actor.name,
        "conversation.tags",
        target=("conversation", conv_id),
        detail={"from": before, "to": conv.tags},
        at=now,
    )


def set_customer_tags(
    session: Session, contact_id: int, tags: Sequence[str], actor: User, now: datetime
) -> None:
    require(actor, "work")
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise DeskError(_("no customer #{id}").format(id=contact_id))
    before, contact.tags = list(contact.tags), clean_tags(tags)
    store.audit(
        session,
        actor.name,
        "customer.tags",
        target=("contact", contact_id),
        detail={"from": before, "to": contact.tags},
        at=now,
    )


def discard_reply(session: Session, conv_id: int, user: User, now: datetime) -> None:
    """The agent dropped a draft after seeing another agent's answer."""
    store.audit(session, user.name, "reply.discarded", target=("conversation", conv_id), at=now)


def retry_reply(session: Session, reply_id: int, user: User, now: datetime) -> None:
    require(user, "work")
    outbox.retry(session, reply_id, user.name, now)


def hide_comment(session: Session, message_id: int, hide: bool, user: User, now: datetime) -> OutboundReply:
    """Queue "hide this customer comment" (or "show it again") in the outbox; audited there."""
    require(user, "work")
    message = session.get(Message, message_id)
    if message is None:
        raise DeskError(_("no message #{id}").format(id=message_id))
    conv = workable(session, message.conversation_id, user)
    channel = session.get(Channel, conv.channel_id)
    assert channel is not None
    if not moderation.can_hide(channel.platform, conv.kind) or message.direction != "in":
        raise DeskError(_("only a customer's Facebook or Instagram comment can be hidden"))
    return outbox.enqueue_moderation(session, conv, message, hide, user.name, now)


def unmark_moderated(session: Session, conv_id: int, user: User, now: datetime, due: DuePolicy) -> None:
    """A manager says "not abuse": the moderation tag goes, the conversation reopens with a clock from now."""
    require(user, "moderate")
    conv = workable(session, conv_id, user)
    category = moderation.moderated_as(conv.tags)
    if category is None:
        raise DeskError(_("conversation #{id} is not moderated").format(id=conv_id))
    before = conv.status
    conv.tags, conv.status = moderation.without_moderation(conv.tags), "open"
    conv.sla_due_at = due(conv, now, conv.first_response_at is not None)
    conv.clock_started_at = now if conv.sla_due_at is not None else None
    store.audit(
        session,
        user.name,
        "moderation.unmarked",
        target=("conversation", conv_id),
        detail={"category": category, "from": before, "to": "open", "why": "not abuse"},
        at=now,
    )


def agents(session: Session, channel: str | None = None) -> list[User]:
    """Active users who can be assigned a conversation (on ``channel``: those who work it)."""
    users = session.exec(select(User).where(col(User.active).is_(True)).order_by(col(User.display_name)))
    if channel is None:
        return list(users)
    roles = channel_scope.role_channels(session)
    return [u for u in users if channel_scope.works_on(channel_scope.effective(session, u, roles), channel)]
