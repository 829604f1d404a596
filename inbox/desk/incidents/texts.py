"""An incident's approved texts: its reply and its resolution message, one per language and visibility.

Session-taking; never commits. A text is checked before it is approved as a reply would be, on every
platform among the members it is for (length, fill-in variables, personal data in public), with the
customer's name and handle filled in as they will be (a public one also starts with the @handle). Approving
a text again replaces it for the members not yet sent one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from inbox.access import require
from inbox.desk.incidents.lookup import get
from inbox.desk.incidents.members import NO_LANGUAGE
from inbox.nlp.pii import DEFAULT_PATTERNS, PiiPatterns
from inbox.replies import blanks, composer
from inbox.store import records as store
from inbox.store.tables import Channel, Conversation, IncidentMember, IncidentText, User

REPLY, RESOLUTION = "reply", "resolution"
PURPOSES = (REPLY, RESOLUTION)
Pair = tuple[str, str]  # (language, visibility)
SAMPLE = {  # what the checks fill in: long, as real values may be
    "customer_name": "Dominique Martin-Lefebvre",
    "handle": "@a_customer_handle_15",
    "ticket_ref": "INB-000001",
}


def addressed(text: str, values: Mapping[str, str], visibility: str) -> str:
    """``text`` with the customer's values filled in, a value nobody has left out (``inbox.replies.blanks``);
    a public one starts with their @handle (X refuses the same text twice, and a reply is addressed)."""
    body = blanks.render_without_blanks(text, values).strip()
    handle = values.get("handle")
    if visibility == "public" and handle and not body.startswith("@"):
        body = f"{handle} {body}"
    return body


def texts_for(session: Session, incident_id: int, purpose: str) -> dict[Pair, str]:
    rows = session.exec(
        select(IncidentText).where(IncidentText.incident_id == incident_id, IncidentText.purpose == purpose)
    )
    return {(r.language, r.visibility): r.text for r in rows}


def approved(session: Session, incident_id: int, purpose: str, pair: Pair) -> IncidentText | None:
    """The approved ``purpose`` text for one language and visibility, with who approved it."""
    stmt = select(IncidentText).where(
        IncidentText.incident_id == incident_id,
        IncidentText.purpose == purpose,
        IncidentText.language == pair[0],
        IncidentText.visibility == pair[1],
    )
    return session.exec(stmt).first()


def needed(session: Session, incident_id: int, purpose: str) -> Counter[Pair]:
    """How many members still waiting for ``purpose`` each language and visibility has."""
    state = IncidentMember.reply_state if purpose == REPLY else IncidentMember.resolution_state
    stmt = (
        select(Conversation.language, Conversation.visibility)
        .join(IncidentMember, col(IncidentMember.conversation_id) == col(Conversation.id))
        .where(IncidentMember.incident_id == incident_id, col(state).is_(None))
    )
    return Counter((language or NO_LANGUAGE, visibility) for language, visibility in session.exec(stmt))


def missing_texts(session: Session, incident_id: int, purpose: str) -> set[Pair]:
    """The languages and visibilities of waiting members that have no approved ``purpose`` text."""
    return set(needed(session, incident_id, purpose)) - set(texts_for(session, incident_id, purpose))


def _platforms(session: Session, incident_id: int, pair: Pair) -> set[str]:
    stmt = (
        select(Channel.platform, Conversation.language)
        .join(Conversation, col(Conversation.channel_id) == col(Channel.id))
        .join(IncidentMember, col(IncidentMember.conversation_id) == col(Conversation.id))
        .where(IncidentMember.incident_id == incident_id, Conversation.visibility == pair[1])
    )
    return {platform for platform, language in session.exec(stmt) if (language or NO_LANGUAGE) == pair[0]}


def problems(
    session: Session, incident_id: int, pair: Pair, text: str, pii_patterns: PiiPatterns = DEFAULT_PATTERNS
) -> list[str]:
    """Why ``text`` cannot be approved for ``pair`` (empty: it can), as the composer says it."""
    body = addressed(text, SAMPLE, pair[1])
    found: list[str] = []
    for platform in sorted(_platforms(session, incident_id, pair)) or ["x"]:
        verdict = composer.check(body, pair[1], pii_patterns=pii_patterns, platform=platform)
        found += [p for p in verdict.problems if p not in found]
    return found


def approve(
    session: Session,
    incident_id: int,
    purpose: str,
    texts: Mapping[Pair, str],
    actor: User,
    now: datetime,
    pii_patterns: PiiPatterns = DEFAULT_PATTERNS,
) -> dict[Pair, list[str]]:
    """Approve the non-empty ``texts``; nothing is saved if one is refused. Returns the refusals by pair."""
    require(actor, "incidents")
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}")
    get(session, incident_id)
    chosen = {pair: text.strip() for pair, text in texts.items() if text.strip()}
    refused = {
        pair: p
        for pair, text in chosen.items()
        if (p := problems(session, incident_id, pair, text, pii_patterns))
    }
    if refused:
        return refused
    existing = {
        (r.language, r.visibility): r
        for r in session.exec(
            select(IncidentText).where(
                IncidentText.incident_id == incident_id, IncidentText.purpose == purpose
            )
        )
    }
    for (language, visibility), text in chosen.items():
        row = existing.get((language, visibility)) or IncidentText(
            incident_id=incident_id,
            purpose=purpose,
            language=language,
            visibility=visibility,
            text=text,
            approved_by=actor.name,
            approved_at=now,
        )
        row.text, row.approved_by, row.approved_at = text, actor.name, now
        session.add(row)
        store.audit(
            session,
            actor.name,
            "incident.text_approved",
            target=("incident", incident_id),
            detail={"purpose": purpose, "language": language, "visibility": visibility},
            at=now,
        )
    return {}
