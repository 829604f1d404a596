"""Edits: a customer's later version of a message the inbox holds updates that message in place.

X gives an edited post a new id (``edit_history_tweet_ids`` chains the versions) and its timelines then show
only the newest; Telegram sends an edited message again; a Mastodon status keeps its id and is found edited
when read again (``recheck``). Stored as new messages, each edit doubled the
customer's message and, once the agent had answered, started a new response clock for words already answered.
Rule: an item naming earlier versions (``InboundItem.edits``) of a stored message is no new message. The
stored message takes the newest text (bank data masked as ever) and its classification; the words it replaces
are kept in ``raw["versions"]`` (oldest first, each with its platform id and time), so an agent sees what was
first written, and privacy erasure, retention and redaction reach them like the rest of ``raw``. The message's
time and the start of its conversation's clocks do not change. A new contact reason or urgency is what that
message asks now: like an agent's correction, its conversation's reason and urgency follow (an urgency may
come down) and its clocks are re-judged, each with the reason in force at its start (``rejudged``: those from
that message on), so the queue and the report, which reads messages as classified now, judge them alike
whatever order the edit and its message were read in. A version written before the one held (edits read out of
order: versions are ordered by their time) is only added to the history; one already held changes nothing, and
so does a version saying what the message already says. A message whose words are gone (``inbox.store.gone``:
past retention, deleted on the platform, erased: found by its tombstone) stays as it is. An edit of a message
the inbox never stored is stored as a new message. An edit sent by another account than the message's author
(a forged update: no platform allows it) changes nothing and is quarantined with its error.
Where the platform keeps addressing the message by its first id (our
edit ids are ``<id>:edit:…``: Telegram, Facebook comments, Messenger and Instagram messages; and every private
message: a WhatsApp edit has its own id but names the message it changes), it is stored under that id,
holding the newest version read and the others in its history: the message read late (a webhook delivery
retried later) is then the same message, not a second one (its words join the history, as the first
version: ``late_originals``), and a reply, a deletion or a later edit name it (before, it was stored under the
edit's id and the late message doubled it). An X post read edited keeps
its newest id (its timelines never show the first again); the earlier versions it names and the inbox had not
read are kept in its ``raw["unread_versions"]``, so one read later (a webhook delivery replayed after the
edit's) joins its history, once, instead of being a second message (``superseded``).
Session-taking, never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from connectors.base import InboundItem, Malformed
from inbox import bank_data
from inbox.ingest import conversation_fields
from inbox.ingest.classified import apply_classification
from inbox.ingest.clocks import conversations_of, recompute_stored
from inbox.ingest.threads import DueFn, raise_urgency
from inbox.nlp.types import Classification
from inbox.store.gone import TOMBSTONE, WORDS_GONE, erased_id
from inbox.store.tables import Conversation, Message

VERSIONS, VERSION, EDITED_AT = "versions", "version", "edited_at"
UNREAD = "unread_versions"  # earlier versions an edit named that the inbox had not read (X)
SUPERSEDED_WITHIN = timedelta(days=1)  # an X post is editable for 30 minutes


@dataclass(frozen=True, slots=True)
class EditsApplied:
    items: list[InboundItem]  # the page's items still to be stored as new messages
    edited: int = 0  # stored messages that took a newer version
    known: int = 0  # versions already held (read again) or of messages whose words are gone
    erased: int = 0  # of those, edits of messages erased at the customer's request
    renamed: dict[str, str] = field(default_factory=dict)  # edits of unseen messages: original id -> edit id
    refused: list[Malformed] = field(default_factory=list)  # edits by another account: quarantined
    rejudged: list[Message] = field(default_factory=list)  # took another reason or urgency: clocks re-judged


def version_ids(message: Message) -> set[str]:
    """The platform ids of every version a stored message holds: the current one and those it replaced."""
    raw = message.raw or {}
    found = raw.get(VERSIONS)
    earlier = found if isinstance(found, list) else []
    return {message.platform_id, str(raw.get(VERSION) or message.platform_id)} | {
        str(v.get("id")) for v in earlier if isinstance(v, Mapping)
    }


def earlier_versions(message: Message) -> list[tuple[datetime | None, str]]:
    """The words a stored message replaced, oldest first, each with the time it was written (if known)."""
    found = (message.raw or {}).get(VERSIONS)
    out: list[tuple[datetime | None, str]] = []
    for version in found if isinstance(found, list) else []:
        if isinstance(version, Mapping) and isinstance(version.get("text"), str):
            out.append((_time(version.get("at")), version["text"]))
    return out


def _entry(version_id: str, text: str, at: datetime | str | None) -> dict[str, Any]:
    when = at.isoformat() if isinstance(at, datetime) else at
    return {"id": version_id, "text": bank_data.mask_text(text), "at": when}


def page_edits(items: Sequence[InboundItem]) -> tuple[list[InboundItem], list[InboundItem]]:
    """``(items, edits)``: the page's edits of another of its items are applied after the page is stored,
    so a message and its edit read together are stored once, with the newest words."""
    ids = {item.external_id for item in items}
    later = [item for item in items if any(i in ids for i in item.edits)]
    return [item for item in items if item not in later], later


def _stored(session: Session, channel_id: int, items: Sequence[InboundItem]) -> dict[str, Message]:
    """The stored messages these edits name, by the id they name (an erased message by its tombstone)."""
    wanted = {i for item in items for i in item.edits}
    if not wanted:
        return {}
    tombstones = {erased_id(i): i for i in wanted}
    stmt = select(Message).where(
        Message.channel_id == channel_id, col(Message.platform_id).in_([*wanted, *tombstones])
    )
    return {tombstones.get(m.platform_id, m.platform_id): m for m in session.exec(stmt)}


def _time(value: Any) -> datetime | None:
    """A stored ISO 8601 time, or None when it is missing or not one."""
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _held_since(message: Message) -> datetime:
    """When the version a stored message holds was written: its last edit's time, else its own."""
    when = _time((message.raw or {}).get(EDITED_AT)) or message.created_at
    assert when is not None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _update(session: Session, message: Message, item: InboundItem, label: Classification | None) -> bool:
    """Apply one edit; whether the message's contact reason or urgency changed (they choose its target)."""
    raw = message.raw or {}
    current = str(raw.get(VERSION) or message.platform_id)
    earlier = list(raw.get(VERSIONS) or [])
    if item.created_at < _held_since(message):  # older than the version held, read late: history only
        earlier.append(_entry(item.external_id, item.text, item.created_at))
        message.raw = {**raw, VERSIONS: earlier}
        return False
    earlier.append(_entry(current, message.text, raw.get(EDITED_AT) or message.created_at))
    unread = {UNREAD: raw[UNREAD]} if UNREAD in raw else {}
    message.raw = {
        **bank_data.mask_payload(dict(item.raw)),
        **unread,
        VERSIONS: earlier,
        VERSION: item.external_id,
        EDITED_AT: item.created_at.isoformat(),
    }
    message.text = bank_data.mask_text(item.text)
    target = (message.reason, message.urgency)
    if label is not None:
        apply_classification(message, label)
        conv = session.get(Conversation, message.conversation_id)
        if conv is not None and message.urgency is not None:
            raise_urgency(conv, message.urgency)
    found = list(message.pii or []) if label is not None else []  # the old spans point into the old words
    message.pii = bank_data.with_nir(found, item.text)
    session.add(message)
    return (message.reason, message.urgency) != target


def _same_words(message: Message, item: InboundItem) -> bool:
    """The edit says what the message already says: a platform that keeps an edited item's id was read
    after the edit (Mastodon), or only the formatting changed (Telegram)."""
    return bank_data.mask_text(item.text) == message.text


def apply_edits(
    session: Session,
    channel_id: int,
    items: Sequence[InboundItem],
    labels: Mapping[str, Classification],
) -> EditsApplied:
    """Apply the page's edits of stored messages (the module's rule); the other items are returned."""
    if not any(item.edits for item in items):
        return EditsApplied(list(items))
    stored = _stored(session, channel_id, items)
    rest: list[InboundItem] = []
    unseen: list[InboundItem] = []
    refused: list[Malformed] = []
    rejudged: list[Message] = []
    edited = known = erased = 0
    for item in items:
        message = next((stored[i] for i in reversed(item.edits) if i in stored), None)
        if message is None and _keeps_its_id(item):
            unseen.append(item)
        elif message is None:  # an X post read edited keeps its newest id; its first words may come later
            rest.append(replace(item, raw={**item.raw, UNREAD: list(item.edits)}))
        elif (
            message.text in WORDS_GONE
            or item.external_id in version_ids(message)
            or _same_words(message, item)
        ):
            known += 1
            erased += message.platform_id.startswith(TOMBSTONE)
        elif forged := _not_the_author(message, item):
            refused.append(Malformed(item.external_id, forged, item.raw))
        else:
            if _update(session, message, item, labels.get(item.external_id)):
                rejudged.append(message)
            edited += 1
    originals = as_originals(unseen)
    renamed = {o.external_id: str(o.raw[VERSION]) for o in originals}
    return EditsApplied(rest + originals, edited, known, erased, renamed, refused, rejudged)


def follow_edits(
    session: Session, rejudged: Iterable[Message], due_for: Callable[[Conversation], DueFn]
) -> list[Conversation]:
    """The conversations of messages an edit gave another reason or urgency (``EditsApplied.rejudged``) take
    the reason and urgency their messages now give (an urgency may come down), and their clocks are worked
    out again, each with the reason in force at its start; returned. Whoever read the edit (a page, the
    recheck sweep) ends the same."""
    convs = conversations_of(session, rejudged)
    if convs:
        session.flush()
        for conv in convs:
            conversation_fields.refresh(session, conv)
        recompute_stored(session, convs, due_for, rejudge=True)
    return convs


def _not_the_author(message: Message, item: InboundItem) -> str | None:
    """Why an edit is refused: it comes from another account than the message's author (no platform lets
    anyone edit another's words, so it is a forged update); None when the authors match or one is unknown."""
    by, owner = item.author.platform_id, message.author_platform_id
    if not by or not owner or by == owner:
        return None
    return (
        f"edit of message {message.platform_id} sent by account {by}, not by its author {owner}: "
        "no platform lets anyone edit another's message, the message keeps its words"
    )


def _keeps_its_id(item: InboundItem) -> bool:
    """An edit of a message the platform keeps addressing by its first id: an edit id we derive from the
    message's (``<id>:edit:…``), or a private message's edit (WhatsApp's names the message it changes)."""
    derived = bool(item.edits) and item.external_id.startswith(f"{item.edits[0]}:edit:")
    return bool(item.edits) and (derived or item.visibility == "private")


def late_originals(session: Session, channel_id: int, items: Sequence[InboundItem]) -> list[Message]:
    """The first words of messages stored from an edit read before them (``as_originals``), now read: each
    is added to its message's history as the oldest version, once, and the message is dated from them
    (returned: the messages whose time moved, as ``superseded``)."""
    ids = [i.external_id for i in items if not i.edits]
    if not ids:
        return []
    stmt = select(Message).where(Message.channel_id == channel_id, col(Message.platform_id).in_(ids))
    found = {m.platform_id: m for m in session.exec(stmt)}
    redated: list[Message] = []
    for item in items:
        message = found.get(item.external_id)
        raw = (message.raw or {}) if message is not None else {}
        if message is None or raw.get(VERSION) in (None, message.platform_id) or message.text in WORDS_GONE:
            continue
        earlier = [v for v in raw.get(VERSIONS) or [] if isinstance(v, Mapping)]
        if all(str(v.get("id")) != item.external_id for v in earlier):
            message.raw = {**raw, VERSIONS: [_entry(item.external_id, item.text, item.created_at), *earlier]}
            if item.created_at < _aware(message.created_at):
                message.created_at = item.created_at
                redated.append(message)
            session.add(message)
    return redated


def superseded(
    session: Session, channel_id: int, items: Sequence[InboundItem]
) -> tuple[list[InboundItem], int, list[Message]]:
    """``(items, known, redated)``: an earlier version of a message stored from its edit (X: the edit read
    first, under its own id, naming this one in ``raw["unread_versions"]``), read late, joins that message's
    history as an older version (once) instead of being stored as a second message; the other items are
    returned. The message is dated from its first version, when the customer wrote (an edit moves no
    clock): ``redated`` are those whose time moved, whose conversations' clocks are to be worked out again."""
    firsts = [i for i in items if not i.edits and i.direction == "in"]
    if not firsts:
        return list(items), 0, []
    earliest = min(i.created_at for i in firsts)
    stmt = select(Message).where(
        Message.channel_id == channel_id,
        col(Message.author_platform_id).in_(sorted({i.author.platform_id for i in firsts})),
        col(Message.created_at) >= earliest,
        col(Message.created_at) <= max(i.created_at for i in firsts) + SUPERSEDED_WITHIN,
    )
    waiting: dict[str, Message] = {}
    for message in session.exec(stmt):
        unread = (message.raw or {}).get(UNREAD)
        waiting |= {str(i): message for i in unread} if isinstance(unread, list) else {}
    rest, known, first_ids, redated = [], 0, {i.external_id for i in firsts}, []
    for item in items:
        held = waiting.get(item.external_id) if item.external_id in first_ids else None
        if held is None or held.author_platform_id != item.author.platform_id:
            rest.append(item)
            continue
        known += 1
        if held.text not in WORDS_GONE and item.external_id not in version_ids(held):
            raw = held.raw or {}
            earlier = [v for v in raw.get(VERSIONS) or [] if isinstance(v, Mapping)]
            entry = _entry(item.external_id, item.text, item.created_at)
            held.raw = {**raw, VERSIONS: sorted([entry, *earlier], key=lambda v: str(v.get("at") or ""))}
            if item.created_at < _aware(held.created_at):
                held.created_at = item.created_at
                redated.append(held)
            session.add(held)
    return rest, known, redated


def _aware(at: datetime | None) -> datetime:
    assert at is not None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def as_originals(edits: Sequence[InboundItem]) -> list[InboundItem]:
    """Edits of messages never stored, each group as the message it edits: its original id (``edits[0]``),
    the newest version's words and time, the older versions in its history."""
    groups: dict[str, list[InboundItem]] = {}
    for item in edits:
        groups.setdefault(item.edits[0], []).append(item)
    out = []
    for original, versions in groups.items():
        *older, newest = sorted(versions, key=lambda i: (i.created_at, i.external_id))
        history = [_entry(v.external_id, v.text, v.created_at) for v in older]
        raw = {**newest.raw, VERSION: newest.external_id, EDITED_AT: newest.created_at.isoformat()}
        reply_to = None if newest.reply_to == original else newest.reply_to
        item = replace(newest, external_id=original, edits=(), reply_to=reply_to)
        out.append(replace(item, raw={**raw, VERSIONS: history} if history else raw))
    return out
