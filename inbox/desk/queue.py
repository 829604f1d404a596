"""The agents' queue: what is due first comes first. Ordering and SLA colour are pure; queries are paginated.

Order: SLA due time (none last), then urgency (most urgent first), then VIP customers, then oldest id.
``priority_key`` states the rule in Python; ``queue_page`` applies the same rule in SQL, one page at a time,
so 10,000 open conversations never load at once (``tests/flows/test_queue.py`` checks both agree).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import product
from typing import Any, Literal

from sqlalchemy import and_, case, exists, func, or_, text
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from inbox.charter.versions import CharterBook
from inbox.desk import clocks
from inbox.desk.clocks import clock_start
from inbox.desk.clocks import clock_started as clock_started
from inbox.ingest.threads import URGENCY_ORDER
from inbox.nlp.types import SENTIMENTS
from inbox.replies import moderation
from inbox.store.folding import fold
from inbox.store.json_values import any_element
from inbox.store.tables import Channel, Contact, Conversation, Message, OutboundReply, User

VIP_TAG = "vip"
# A customer tag is VIP when, trimmed of ASCII blanks, it is "vip" in any ASCII case: a rule SQL states
# exactly (str.strip() trims Unicode spaces too; PostgreSQL's lower() may fold a non-ASCII letter to ASCII)
TAG_BLANKS = " \t\n\r\x0b\x0c"
VIP_FORMS = frozenset("".join(chars) for chars in product(*((c, c.upper()) for c in VIP_TAG)))
AMBER_FRACTION = 0.25  # amber when less than a quarter of the target time remains
STATUSES = ("open", "pending", "resolved")
MODERATED = "moderated"  # a queue view: resolved conversations the moderation rules or an agent hid
Assignee = Literal["mine", "unassigned", "all"]
SlaState = Literal["none", "green", "amber", "red"]
Source = Literal["listening", "direct"]
LISTENING = "listening"  # the conversation kind of posts found by keyword search


@dataclass(frozen=True, slots=True)
class QueueItem:
    """What the ordering needs to know about a conversation."""

    id: int
    sla_due_at: datetime | None
    urgency: str | None
    tags: Sequence[str] = ()


def is_vip(tags: Iterable[str]) -> bool:
    return any(t.strip(TAG_BLANKS) in VIP_FORMS for t in tags)


def priority_key(item: QueueItem) -> tuple[bool, datetime | None, int, bool, int]:
    """Sort key: due time (none last), then urgency (high first), then VIP first, then id."""
    rank = URGENCY_ORDER.get(item.urgency or "normal", 1)
    return (item.sla_due_at is None, item.sla_due_at, -rank, not is_vip(item.tags), item.id)


def order(items: Iterable[QueueItem]) -> list[QueueItem]:
    """The queue order of ``items`` (pure)."""
    return sorted(items, key=priority_key)  # None due times only ever meet each other: the flag comes first


def sla_state(due: datetime | None, started: datetime | None, now: datetime) -> SlaState:
    """Green, amber when less than 25% of the target remains, red when breached; none with no clock."""
    if due is None:
        return "none"
    if now > due:  # as inbox.charter.sla.queue_state_colour: breached once the due time has passed
        return "red"
    if started is not None and due > started:
        if (due - now) / (due - started) < AMBER_FRACTION:
            return "amber"
    return "green"


@dataclass(frozen=True, slots=True)
class Filters:
    channel: str | None = None
    status: str = "open"  # open | pending | resolved | moderated (resolved by moderation) | all
    assignee: Assignee = "all"
    urgency: str | None = None
    sentiment: str | None = None
    language: str | None = None
    reason: str | None = None  # contact reason (config/nlp.toml [reasons])
    text: str = ""
    source: Source | None = None  # listening: found by keyword search; direct: written to the brand
    channels: frozenset[str] | None = None  # on one of these (a user's scope, desk.channel_scope); None: all
    speaks: tuple[str, ...] = ()  # in one of these languages, or in none detected; (): all


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the queue, ready to render."""

    id: int
    channel: str
    visibility: str
    status: str
    handle: str | None
    display_name: str | None
    snippet: str
    first_inbound_at: datetime | None
    sla_due_at: datetime | None
    sla: SlaState
    assignee: str | None
    urgency: str | None
    sentiment: str | None
    language: str | None
    tags: tuple[str, ...]
    vip: bool
    failed_send: bool = False  # a reply to it could not be delivered: someone must look
    kind: str = "mention"  # mention | dm | listening | comment
    reason: str | None = None  # contact reason: the latest inbound one that is not "other"
    snoozed_until: datetime | None = None  # pending until then (inbox.desk.snooze)

    @property
    def listening(self) -> bool:
        return self.kind == LISTENING


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Row]
    total: int
    number: int
    size: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", max(1, -(-self.total // self.size)))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def moderated() -> ColumnElement[bool]:
    """Tagged ``moderated:<category>``: a tag that starts with the prefix, as ``moderation.moderated_as``."""
    prefix = moderation.TAG_PREFIX
    return any_element(Conversation.tags, lambda tag: func.substr(tag, 1, len(prefix)) == prefix)


def _conditions(f: Filters, user_id: int | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.status == MODERATED:
        conds += [col(Conversation.status) == "resolved", moderated()]
    elif f.status != "all":
        conds.append(col(Conversation.status) == f.status)
    if f.channel:
        conds.append(col(Channel.name) == f.channel)
    if f.assignee == "mine":
        conds.append(col(Conversation.assignee_id) == user_id)
    elif f.assignee == "unassigned":
        conds.append(col(Conversation.assignee_id).is_(None))
    if f.channels is not None:  # frozenset(): a user who works no channel sees nothing
        names = sorted(f.channels)
        conds.append(col(Conversation.channel_id).in_(select(Channel.id).where(col(Channel.name).in_(names))))
    if f.speaks:
        conds.append(or_(col(Conversation.language).is_(None), col(Conversation.language).in_(f.speaks)))
    if f.source == "listening":
        conds.append(col(Conversation.kind) == LISTENING)
    elif f.source == "direct":
        conds.append(col(Conversation.kind) != LISTENING)
    for column, value in (
        (Conversation.urgency, f.urgency),
        (Conversation.sentiment, f.sentiment),
        (Conversation.language, f.language),
        (Conversation.reason, f.reason),
    ):
        if value:
            conds.append(col(column) == value)
    if f.text.strip():  # folded on both sides (inbox.store.folding): same hits on SQLite and PostgreSQL
        pattern = _like(fold(f.text.strip()))
        in_messages = exists().where(
            col(Message.conversation_id) == col(Conversation.id),
            col(Message.search_text).like(pattern, escape="\\"),
        )
        conds.append(or_(col(Contact.search_name).like(pattern, escape="\\"), in_messages))
    return conds


def _vip_flag() -> ColumnElement[int]:
    """``is_vip`` of the contact's tags, each tag compared by value."""
    vip = any_element(Contact.tags, lambda tag: func.trim(tag, TAG_BLANKS).in_(sorted(VIP_FORMS)))
    return case((and_(col(Contact.id).is_not(None), vip), 1), else_=0)


def _urgency_rank() -> ColumnElement[int]:
    return case(URGENCY_ORDER, value=col(Conversation.urgency), else_=1)


def _joined(stmt: Any, f: Filters) -> Any:
    """Join channel and contact only when a filter looks at them (every conversation has a channel)."""
    if f.channel:
        stmt = stmt.join(Channel, col(Channel.id) == col(Conversation.channel_id))
    if f.text.strip():
        stmt = stmt.outerjoin(Contact, col(Contact.id) == col(Conversation.contact_id))
    return stmt


def _count(session: Session, conds: list[ColumnElement[bool]], f: Filters) -> int:
    stmt = _joined(select(func.count()).select_from(Conversation), f).where(*conds)
    return int(session.exec(stmt).one())


def _due_cutoff(session: Session, conds: list[ColumnElement[bool]], f: Filters, last: int) -> datetime | None:
    """The due time of the ``last``-th conversation in due order, read along ``ix_conversation_queue``
    (None when fewer have a due time). The queue puts due conversations first, soonest first, so every row
    up to the ``last``-th is due no later: the page query sorts only those, not every open conversation."""
    due = col(Conversation.sla_due_at)
    stmt = _joined(select(due), f).where(*conds, due.is_not(None)).order_by(due).offset(last - 1).limit(1)
    found: datetime | None = session.exec(stmt).first()
    return found


def queue_page(
    session: Session,
    filters: Filters,
    *,
    user_id: int | None,
    now: datetime,
    number: int = 0,
    size: int = 50,
    book: CharterBook | None = None,
) -> Page:
    """One page of the queue, in priority order, with the filters applied in SQL; each row coloured by
    ``book``'s charters (``clocks.colour``), else on the wall clock (``sla_state``)."""
    conds = _conditions(filters, user_id)
    total = _count(session, conds, filters)
    cutoff = _due_cutoff(session, conds, filters, (number + 1) * size)
    bounded = [*conds, col(Conversation.sla_due_at) <= cutoff] if cutoff is not None else conds
    found = session.execute(_page_statement(bounded, number, size)).all()
    if cutoff is not None and len(found) < size:
        # A short page under a cutoff: the queue may have moved between the two reads (someone took the
        # conversations the cutoff was computed from), so read it again without the cutoff.
        found = session.execute(_page_statement(conds, number, size)).all()
    ids = [c.id for c, *_ in found if c.id is not None]
    snippets, failed = last_messages(session, ids), failed_sends(session, ids)
    rows = [
        _row(
            c,
            channel,
            contact,
            (user.display_name or user.name) if user else None,
            snippets.get(c.id or 0, ""),
            sla_state(c.sla_due_at, started, now)
            if book is None
            else clocks.colour(book, c, channel, platform, contact, started, now),
            failed_send=c.id in failed,
        )
        for c, channel, contact, user, started, platform in found
    ]
    return Page(rows=rows, total=total, number=number, size=size)


def _page_statement(conds: list[Any], number: int, size: int) -> Any:
    """Page ``number`` of the conversations matching ``conds``, in queue order."""
    return (
        select(Conversation, Channel.name, Contact, User)
        .add_columns(clock_start(), col(Channel.platform))
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .outerjoin(Contact, col(Contact.id) == col(Conversation.contact_id))
        .outerjoin(User, col(User.id) == col(Conversation.assignee_id))
        .where(*conds)
        .order_by(
            col(Conversation.sla_due_at).is_(None),
            col(Conversation.sla_due_at),
            _urgency_rank().desc(),
            _vip_flag().desc(),
            col(Conversation.id),
        )
        .offset(number * size)
        .limit(size)
    )


def _row(
    c: Conversation,
    channel: str,
    contact: Contact | None,
    assignee: str | None,
    snippet: str,
    sla: SlaState,
    *,
    failed_send: bool,
) -> Row:
    tags = tuple(dict.fromkeys([*(contact.tags if contact else []), *c.tags]))
    return Row(
        id=c.id or 0,
        channel=channel,
        visibility=c.visibility,
        status=c.status,
        handle=contact.handle if contact else None,
        display_name=contact.display_name if contact else None,
        snippet=snippet,
        first_inbound_at=c.first_inbound_at,
        sla_due_at=c.sla_due_at,
        sla=sla,
        assignee=assignee,
        urgency=c.urgency,
        sentiment=c.sentiment,
        language=c.language,
        tags=tags,
        vip=is_vip(contact.tags if contact else []),
        failed_send=failed_send,
        kind=c.kind,
        reason=c.reason,
        snoozed_until=c.snoozed_until if c.status == "pending" else None,
    )


def failed_sends(session: Session, conversation_ids: list[int]) -> set[int]:
    """The conversations among these with a reply that failed to send."""
    if not conversation_ids:
        return set()
    stmt = select(OutboundReply.conversation_id).where(
        col(OutboundReply.conversation_id).in_(conversation_ids), OutboundReply.status == "failed"
    )
    return set(session.exec(stmt.distinct()))


def first_line(text: str, width: int = 140) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def last_messages(session: Session, conversation_ids: list[int]) -> dict[int, str]:
    """The first line of each conversation's newest customer message (one query for a whole page), so an
    automatic or agent reply never hides what the customer wrote: one index probe per conversation
    (``ix_message_conversation_time``, read backwards to the newest inbound row), never a pass over all."""
    if not conversation_ids:
        return {}
    newest = (
        select(Message.text)
        .where(col(Message.conversation_id) == col(Conversation.id), col(Message.direction) == "in")
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )
    out: dict[int, str] = {}
    for n in range(0, len(conversation_ids), 500):  # small batches: each is an index lookup
        chunk = conversation_ids[n : n + 500]
        rows = session.exec(select(Conversation.id, newest).where(col(Conversation.id).in_(chunk))).all()
        out.update((cid, first_line(body)) for cid, body in rows if cid is not None and body is not None)
    return out


def _in_use(session: Session, column: str) -> list[str]:
    """Distinct values of a ``conversation`` column by walking its index, one probe per value
    (a loose index scan), so the cost follows the number of values, not of conversations."""
    stmt = text(
        f"WITH RECURSIVE v(x) AS (SELECT (SELECT {column} FROM conversation WHERE {column} IS NOT NULL "
        f"ORDER BY {column} LIMIT 1) UNION ALL SELECT (SELECT {column} FROM conversation "
        f"WHERE {column} > v.x ORDER BY {column} LIMIT 1) FROM v WHERE v.x IS NOT NULL) "
        "SELECT x FROM v WHERE x IS NOT NULL"
    )
    return sorted(str(v) for (v,) in session.connection().execute(stmt) if v)


def filter_options(session: Session, channels: frozenset[str] | None = None) -> dict[str, list[str]]:
    """Values the filters can take: channels (those of ``channels``, a user's scope, when given), the
    languages and contact reasons in use, and every urgency and sentiment the classifier gives (a fixed
    vocabulary: listing it costs no scan of the conversations)."""
    return {
        "channel": sorted(
            str(v) for v in session.exec(select(Channel.name)) if v and (channels is None or v in channels)
        ),
        "language": _in_use(session, "language"),
        "urgency": sorted(URGENCY_ORDER, key=lambda u: -URGENCY_ORDER[u]),
        "sentiment": list(SENTIMENTS),
        "reason": _in_use(session, "reason"),
    }


def matching_ids(session: Session, filters: Filters, *, user_id: int | None, limit: int) -> list[int]:
    """The ids of the conversations the filters match, in queue order, at most ``limit`` (bulk actions)."""
    stmt = (
        _joined(select(Conversation.id), filters)
        .where(*_conditions(filters, user_id))
        .order_by(col(Conversation.sla_due_at).is_(None), col(Conversation.sla_due_at), col(Conversation.id))
        .limit(limit)
    )
    return [i for i in session.exec(stmt) if i is not None]
