"""Sending an incident's approved texts to its members through the outbox, each once.

Each member is queued in its own short transaction under its own outbox key
(``incident-{incident}-{purpose}-{conversation}``), so a run killed half-way, run twice, or run by two
processes at once queues nothing twice: the member's state says it is done, and the key is unique in the
outbox, which then delivers at most once. The key is not an automatic one: a delivered reply is a person's
answer that sets the first response and stops the conversation's clock. A member waits (state None) while
its language and visibility have no approved text; it is skipped, with the reason, when the reply is no
longer needed (someone already answered since the customer last wrote) or the platform refuses it now
(``inbox.replies.rules``: Meta's 24-hour window, X's summoning rule). The resolution message goes to every
member, answered or not.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from inbox.desk.incidents.members import NO_LANGUAGE
from inbox.desk.incidents.texts import REPLY, addressed, approved
from inbox.i18n import N_
from inbox.outbox import delivery as outbox
from inbox.replies import composer, moderation
from inbox.replies import facts as reply_facts
from inbox.replies.names import unread_name
from inbox.store import records as store
from inbox.store.tables import Channel, Contact, Conversation, Incident, IncidentMember

log = logging.getLogger("inbox.desk.incidents")

KEY = "incident-{incident}-{purpose}-{conversation}"
QUEUED, SKIPPED = "queued", "skipped"
ANSWERED = N_("already answered")  # a skip note; the screens translate it
ChannelOptions = Mapping[str, Mapping[str, object]]  # channel name -> its options from channels.toml


def outbox_key(incident_id: int, purpose: str, conversation_id: int) -> str:
    return KEY.format(incident=incident_id, purpose=purpose, conversation=conversation_id)


def _answered(conv: Conversation) -> bool:
    """A person answered after the customer's last message (the clock is stopped by a reply)."""
    return (
        conv.last_outbound_at is not None
        and conv.last_inbound_at is not None
        and conv.last_outbound_at >= conv.last_inbound_at
    )


def _set(member: IncidentMember, purpose: str, state: str, note: str | None) -> None:
    if purpose == REPLY:
        member.reply_state, member.reply_note = state, note
    else:
        member.resolution_state, member.resolution_note = state, note


def _queue(
    session: Session, member: IncidentMember, purpose: str, now: datetime, options: ChannelOptions
) -> str:
    """Queue (or skip) ``purpose`` for one member whose text is approved; returns the state set."""
    conv = session.get(Conversation, member.conversation_id)
    channel = session.get(Channel, conv.channel_id) if conv else None
    assert conv is not None and channel is not None
    text = approved(session, member.incident_id, purpose, (conv.language or NO_LANGUAGE, conv.visibility))
    assert text is not None
    if purpose == REPLY and _answered(conv):
        _set(member, purpose, SKIPPED, ANSWERED)
        return SKIPPED
    contact = session.get(Contact, conv.contact_id) if conv.contact_id else None
    values = composer.known_values(
        customer_name=unread_name(contact.display_name, contact.handle) if contact else None,
        handle=contact.handle if contact else None,
        agent_name=None,
        conversation_id=conv.id,
    )
    body = addressed(text.text, values, conv.visibility)
    decision = reply_facts.decision(session, conv, now, options.get(channel.name))
    route = moderation.refuse_replies(decision, conv.tags).route(conv.visibility)
    verdict = composer.check(  # personal data: checked when the text was approved, with the team's patterns
        body,
        conv.visibility,
        platform=channel.platform,
        route=route,
        recipient=values.get("handle"),
        personal_data=False,
    )
    if not verdict.ok:
        _set(member, purpose, SKIPPED, "; ".join(verdict.problems))
        return SKIPPED
    key = outbox_key(member.incident_id, purpose, conv.id or 0)
    try:
        outbox.enqueue(
            session,
            conv,
            visibility=conv.visibility,
            text=body,
            actor=text.approved_by,  # the manager who approved it answers
            now=now,
            idempotency_key=key,
        )
    except outbox.NothingToAnswer as exc:
        _set(member, purpose, SKIPPED, str(exc))
        return SKIPPED
    _set(member, purpose, QUEUED, key)
    store.audit(
        session,
        text.approved_by,
        f"incident.{purpose}_queued",
        target=("conversation", conv.id),
        detail={"incident": member.incident_id, "key": key},
        at=now,
    )
    return QUEUED


def queue_member(
    engine: Engine, member_id: int, purpose: str, now: datetime, options: ChannelOptions | None = None
) -> str | None:
    """Queue ``purpose`` for one member in its own transaction; the state set, or None when nothing was done
    (already done, no approved text for its language and visibility yet, or another process won)."""
    try:
        with Session(engine) as session, session.begin():
            member = session.get(IncidentMember, member_id)
            if member is None or (member.reply_state if purpose == REPLY else member.resolution_state):
                return None
            conv = session.get(Conversation, member.conversation_id)
            assert conv is not None
            pair = (conv.language or NO_LANGUAGE, conv.visibility)
            if approved(session, member.incident_id, purpose, pair) is None:
                return None
            return _queue(session, member, purpose, now, options or {})
    except (IntegrityError, OperationalError) as exc:  # queued by another process, or SQLite busy: later
        log.debug("incident %s for member %s not queued now: %s", purpose, member_id, exc)
        return None


def waiting(session: Session, purpose: str, incident_id: int | None = None) -> list[int]:
    """Members still waiting for ``purpose``: replies in open incidents, resolutions in closed ones."""
    state = IncidentMember.reply_state if purpose == REPLY else IncidentMember.resolution_state
    stmt = (
        select(IncidentMember.id)
        .join(Incident, col(Incident.id) == col(IncidentMember.incident_id))
        .where(col(state).is_(None), Incident.status == ("open" if purpose == REPLY else "closed"))
        .order_by(col(IncidentMember.id))
    )
    if incident_id is not None:
        stmt = stmt.where(IncidentMember.incident_id == incident_id)
    return [i for i in session.exec(stmt) if i is not None]


def queue_all(
    engine: Engine,
    purpose: str,
    now: datetime,
    *,
    incident_id: int | None = None,
    options: ChannelOptions | None = None,
) -> Counter[str]:
    """Queue ``purpose`` for every waiting member (of one incident, or of all); how many got each state."""
    with Session(engine) as session:
        ids = waiting(session, purpose, incident_id)
    done: Counter[str] = Counter()
    for member_id in ids:
        state = queue_member(engine, member_id, purpose, now, options)
        if state is not None:
            done[state] += 1
    return done
