"""Which conversations belong to an incident: proposed by similarity, keywords and channel; added; removed.

Session-taking; never commits. A candidate is a conversation on one of the incident's channels (all when it
names none) whose customer wrote since the incident's start, that is open or pending, neither a listening
post nor moderated, and in no open incident. It matches when its customer's messages since the start score
at least the incident's threshold against the reference texts (the title and description, and the
conversations people added), or contain one of the keywords. A conversation is in one open incident at most.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists
from sqlmodel import Session, col, select

from inbox.access import require
from inbox.desk.incidents import similarity
from inbox.desk.incidents.lookup import AUTOMATION, IncidentError, open_incidents_of
from inbox.desk.queue import LISTENING, first_line
from inbox.i18n import _
from inbox.replies import moderation
from inbox.store import records as store
from inbox.store.tables import Channel, Contact, Conversation, Incident, IncidentMember, Message, User

CANDIDATE_LIMIT = 1000  # the most recent candidates scored at once
REFERENCE_LIMIT = 50  # conversations added by people that serve as references
BACKGROUND_LIMIT = 300  # older customer messages that teach which words are ordinary
MESSAGES_PER_CONVERSATION = 5  # the customer's latest messages since the start that are compared
NO_LANGUAGE = "und"


@dataclass(frozen=True, slots=True)
class Candidate:
    conversation_id: int
    channel: str
    visibility: str
    language: str
    handle: str | None
    snippet: str
    score: float
    keywords: tuple[str, ...]
    last_inbound_at: datetime | None

    def matches(self, threshold: float) -> bool:
        return self.score >= threshold or bool(self.keywords)


def _customer_texts(session: Session, conversation_ids: Sequence[int], since: datetime) -> dict[int, str]:
    """Each conversation's latest customer messages since ``since``, oldest first, joined."""
    found: dict[int, list[str]] = defaultdict(list)
    for n in range(0, len(conversation_ids), 500):
        stmt = (
            select(Message.conversation_id, Message.text)
            .where(
                store.one_of(session, Message.conversation_id, conversation_ids[n : n + 500]),
                Message.direction == "in",
                col(Message.created_at) >= since,
            )
            .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        )
        for conv_id, text in session.exec(stmt):
            if len(found[conv_id]) < MESSAGES_PER_CONVERSATION:
                found[conv_id].append(text)
    return {conv_id: "\n".join(reversed(texts)) for conv_id, texts in found.items()}


def reference_texts(session: Session, incident: Incident) -> list[str]:
    """What the incident is about: its title and description, and the conversations people added."""
    added = session.exec(
        select(IncidentMember.conversation_id)
        .where(IncidentMember.incident_id == incident.id, IncidentMember.joined_by != AUTOMATION)
        .order_by(col(IncidentMember.joined_at).desc())
        .limit(REFERENCE_LIMIT)
    ).all()
    texts = _customer_texts(session, list(added), incident.since)
    return [f"{incident.title}\n{incident.description}", *texts.values()]


def _background(session: Session, before: datetime) -> list[str]:
    stmt = (
        select(Message.text)
        .where(Message.direction == "in", col(Message.created_at) < before)
        .order_by(col(Message.created_at).desc())
        .limit(BACKGROUND_LIMIT)
    )
    return list(session.exec(stmt))


def _in_an_open_incident() -> object:
    return exists().where(
        col(IncidentMember.conversation_id) == col(Conversation.id),
        col(IncidentMember.incident_id) == col(Incident.id),
        col(Incident.status) == "open",
    )


def candidates(session: Session, incident: Incident, *, after: datetime | None = None) -> list[Candidate]:
    """The conversations that could join ``incident``, best first (``after``: only those with a customer
    message stored after that time, for the automatic joining)."""
    stmt = (
        select(Conversation, Channel.name, Contact.handle)
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .outerjoin(Contact, col(Contact.id) == col(Conversation.contact_id))
        .where(
            col(Conversation.last_inbound_at) >= incident.since,
            col(Conversation.status).in_(("open", "pending")),
            col(Conversation.kind) != LISTENING,
            ~_in_an_open_incident(),  # type: ignore[operator]
        )
        .order_by(col(Conversation.last_inbound_at).desc())
        .limit(CANDIDATE_LIMIT)
    )
    if after is not None:  # stored since: a message read late (polling, backfill) is new all the same
        stored_since = select(Message.conversation_id).where(
            col(Message.direction) == "in", col(Message.ingested_at) > after
        )  # not correlated: read once, from the ingested_at index (a correlated EXISTS scanned every message)
        stmt = stmt.where(col(Conversation.id).in_(stored_since))
    if incident.channels:
        stmt = stmt.where(col(Channel.name).in_(incident.channels))
    rows = [r for r in session.exec(stmt) if moderation.moderated_as(r[0].tags) is None]
    texts = _customer_texts(session, [c.id or 0 for c, *_ in rows], incident.since)
    ids = [c.id or 0 for c, *_ in rows if texts.get(c.id or 0)]
    scores = similarity.scores(
        reference_texts(session, incident), [texts[i] for i in ids], _background(session, incident.since)
    )
    by_id = dict(zip(ids, scores, strict=True))
    found = [
        Candidate(
            conv.id or 0,
            channel,
            conv.visibility,
            conv.language or NO_LANGUAGE,
            handle,
            first_line(texts[conv.id or 0].splitlines()[-1]),
            by_id[conv.id or 0],
            tuple(similarity.keyword_hits(texts[conv.id or 0], incident.keywords)),
            conv.last_inbound_at,
        )
        for conv, channel, handle in rows
        if (conv.id or 0) in by_id
    ]
    return sorted(found, key=lambda c: (not c.matches(incident.threshold), -c.score, c.conversation_id))


def join(
    session: Session, incident: Incident, conv_id: int, joined_by: str, now: datetime, score: float | None
) -> IncidentMember:
    """Put one conversation in the incident, audited on the conversation (no permission check: callers do)."""
    member = IncidentMember(
        incident_id=incident.id or 0, conversation_id=conv_id, score=score, joined_by=joined_by, joined_at=now
    )
    session.add(member)
    store.audit(
        session,
        joined_by,
        "incident.joined",
        target=("conversation", conv_id),
        detail={"incident": incident.id, "score": score},
        at=now,
    )
    return member


def add(
    session: Session,
    incident: Incident,
    conversation_ids: Sequence[int],
    actor: User,
    now: datetime,
    scores: Mapping[int, float] | None = None,
) -> list[int]:
    """Add conversations by hand (a confirmed proposal, a selection in the queue); returns those added.
    Those already in an open incident (this one or another) are left where they are."""
    require(actor, "incidents")
    if incident.status != "open":
        raise IncidentError(_("incident #{id} is closed").format(id=incident.id))
    wanted = list(dict.fromkeys(conversation_ids))
    known = set(session.exec(select(Conversation.id).where(col(Conversation.id).in_(wanted))))
    if len(known) != len(wanted):
        raise IncidentError(_("no conversation #{id}").format(id=min(set(wanted) - known)))
    taken = open_incidents_of(session, wanted)
    added = [c for c in wanted if c not in taken]
    for conv_id in added:
        join(session, incident, conv_id, actor.name, now, (scores or {}).get(conv_id))
    session.flush()
    return added


def remove(session: Session, incident_id: int, conv_id: int, actor: User, now: datetime) -> None:
    """Take a conversation out of an incident (what was already queued for it stays queued)."""
    require(actor, "incidents")
    member = session.exec(
        select(IncidentMember).where(
            IncidentMember.incident_id == incident_id, IncidentMember.conversation_id == conv_id
        )
    ).first()
    if member is None:
        raise IncidentError(
            _("conversation #{id} is not in incident #{incident}").format(id=conv_id, incident=incident_id)
        )
    session.delete(member)
    store.audit(
        session,
        actor.name,
        "incident.left",
        target=("conversation", conv_id),
        detail={"incident": incident_id},
        at=now,
    )
