"""An incident's life: declared with its matching rule, the rule adjusted, closed. Session-taking, no commit.

Only managers and admins (``inbox.access``: "incidents"). Closing needs the resolution message approved for
every language and visibility among the members (``texts.missing_texts``); the members' conversations are
then resolved, each audited, and ``sending.queue_all`` sends them the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from inbox.access import require
from inbox.desk.incidents import members
from inbox.desk.incidents.lookup import IncidentError, open_one
from inbox.desk.incidents.texts import RESOLUTION, missing_texts
from inbox.i18n import _
from inbox.store import records as store
from inbox.store.tables import Channel, Conversation, Incident, IncidentMember, User

DEFAULT_THRESHOLD = 0.2  # similarity from which a conversation is proposed (0: anything, 1: the same words)
MAX_KEYWORDS = 20


def _clean_keywords(keywords: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(k.strip() for k in keywords if k.strip()))[:MAX_KEYWORDS]


def _checked_channels(session: Session, channels: Sequence[str]) -> list[str]:
    known = set(session.exec(select(Channel.name)))
    unknown = sorted(set(channels) - known)
    if unknown:
        raise IncidentError(_("unknown channel(s): {names}").format(names=", ".join(unknown)))
    return sorted(set(channels))


def _checked_threshold(threshold: float) -> float:
    if not 0.0 <= threshold <= 1.0:
        raise IncidentError(_("the similarity threshold must be between 0 and 1"))
    return threshold


def declare(
    session: Session,
    actor: User,
    *,
    title: str,
    since: datetime,
    now: datetime,
    description: str = "",
    keywords: Sequence[str] = (),
    channels: Sequence[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    conversations: Sequence[int] = (),
) -> Incident:
    """A new open incident; ``conversations`` (a selection in the queue) join it at once."""
    require(actor, "incidents")
    if not title.strip():
        raise IncidentError(_("an incident needs a title"))
    if since > now:
        raise IncidentError(_("an incident cannot start in the future"))
    incident = Incident(
        title=title.strip(),
        description=description.strip(),
        since=since,
        threshold=_checked_threshold(threshold),
        keywords=_clean_keywords(keywords),
        channels=_checked_channels(session, channels),
        declared_by=actor.name,
        declared_at=now,
        scanned_to=now,  # what came before is proposed for the manager to confirm; what comes after joins
    )
    session.add(incident)
    session.flush()
    store.audit(
        session,
        actor.name,
        "incident.declared",
        target=("incident", incident.id),
        detail={"title": incident.title, "since": since.isoformat(), "conversations": len(conversations)},
        at=now,
    )
    if conversations:
        members.add(session, incident, conversations, actor, now)
    return incident


def adjust(
    session: Session,
    incident_id: int,
    actor: User,
    now: datetime,
    *,
    threshold: float,
    keywords: Sequence[str],
    channels: Sequence[str],
    description: str,
) -> Incident:
    """Change the matching rule of an open incident: what is proposed, and what joins from now on (earlier
    conversations that now match are proposed, never joined without the manager)."""
    require(actor, "incidents")
    incident = open_one(session, incident_id)
    before = [incident.threshold, incident.keywords, incident.channels, incident.description]
    incident.threshold = _checked_threshold(threshold)
    incident.keywords = _clean_keywords(keywords)
    incident.channels = _checked_channels(session, channels)
    incident.description = description.strip()
    store.audit(
        session,
        actor.name,
        "incident.rule_changed",
        target=("incident", incident_id),
        detail={
            "from": dict(zip(("threshold", "keywords", "channels", "description"), before, strict=True)),
            "to": {
                "threshold": incident.threshold,
                "keywords": incident.keywords,
                "channels": incident.channels,
            },
        },
        at=now,
    )
    return incident


def close(session: Session, incident_id: int, actor: User, now: datetime) -> Incident:
    """Close the incident and resolve its members' conversations (the caller then sends the resolution)."""
    require(actor, "incidents")
    incident = open_one(session, incident_id)
    missing = missing_texts(session, incident_id, RESOLUTION)
    if missing:
        pairs = ", ".join(f"{language}/{visibility}" for language, visibility in sorted(missing))
        raise IncidentError(_("approve the resolution message first for: {pairs}").format(pairs=pairs))
    incident.status, incident.closed_by, incident.closed_at = "closed", actor.name, now
    store.audit(session, actor.name, "incident.closed", target=("incident", incident_id), at=now)
    stmt = (
        select(Conversation)
        .join(IncidentMember, col(IncidentMember.conversation_id) == col(Conversation.id))
        .where(IncidentMember.incident_id == incident_id, Conversation.status != "resolved")
    )
    for conv in session.exec(stmt):
        before, conv.status = conv.status, "resolved"
        conv.sla_due_at = conv.clock_started_at = None  # resolving stops the clock
        store.audit(
            session,
            actor.name,
            "conversation.status",
            target=("conversation", conv.id),
            detail={"from": before, "to": "resolved", "incident": incident_id},
            at=now,
        )
    return incident
