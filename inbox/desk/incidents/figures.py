"""An incident's figures: its size, its first reply and its resolution time. Session-taking, read-only.

- Size: member conversations, distinct customers (linked accounts count once), by channel.
- Started: the first customer message among the members (the declared start when it has none yet).
- First reply: from the start to the first delivery of the incident's reply; and the members' median
  first-response time (each from its first customer message to its first answer, whoever gave it).
- Resolution time: from the start to the closing (None while open).
- Deliveries: the incident's outbox rows by status (pending, sending, sent, failed) and members skipped.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from inbox.desk.incidents.lookup import get
from inbox.desk.incidents.sending import KEY, SKIPPED
from inbox.desk.incidents.texts import REPLY
from inbox.store.tables import Channel, Contact, Conversation, IncidentMember, OutboundReply


@dataclass(frozen=True)
class Figures:
    size: int
    customers: int
    by_channel: dict[str, int]
    started: datetime
    first_reply_at: datetime | None
    first_reply: timedelta | None
    median_first_response: timedelta | None
    resolution: timedelta | None
    deliveries: dict[str, int] = field(default_factory=dict)  # outbox status -> rows (reply and resolution)
    skipped: int = 0  # members the reply was not sent to (already answered, refused by the platform)


def _outbox_rows(session: Session, incident_id: int) -> list[OutboundReply]:
    prefix = KEY.split("{purpose}")[0].format(incident=incident_id)
    stmt = select(OutboundReply).where(col(OutboundReply.idempotency_key).startswith(prefix, autoescape=True))
    return list(session.exec(stmt))


def figures(session: Session, incident_id: int) -> Figures:
    incident = get(session, incident_id)
    rows = session.exec(
        select(IncidentMember, Conversation, Channel.name, Contact)
        .join(Conversation, col(Conversation.id) == col(IncidentMember.conversation_id))
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .outerjoin(Contact, col(Contact.id) == col(Conversation.contact_id))
        .where(IncidentMember.incident_id == incident_id)
    ).all()
    firsts = [c.first_inbound_at for _, c, _, _ in rows if c.first_inbound_at is not None]
    started = min(firsts) if firsts else incident.since
    customers = {
        ("p", contact.person_id) if contact.person_id else ("c", contact.id)
        for _, _, _, contact in rows
        if contact is not None
    }
    outbox_rows = _outbox_rows(session, incident_id)
    reply_prefix = KEY.split("{conversation}")[0].format(incident=incident_id, purpose=REPLY)
    sent = [r.sent_at for r in outbox_rows if r.sent_at and r.idempotency_key.startswith(reply_prefix)]
    first_reply_at = min(sent) if sent else None
    responses = [
        (c.first_response_at - (c.first_clock_at or c.first_inbound_at)).total_seconds()
        for _, c, _, _ in rows
        if c.first_response_at is not None and c.first_inbound_at is not None
    ]
    return Figures(
        size=len(rows),
        customers=len(customers),
        by_channel=dict(Counter(channel for _, _, channel, _ in rows).most_common()),
        started=started,
        first_reply_at=first_reply_at,
        first_reply=first_reply_at - started if first_reply_at else None,
        median_first_response=timedelta(seconds=statistics.median(responses)) if responses else None,
        resolution=incident.closed_at - started if incident.closed_at else None,
        deliveries=dict(Counter(r.status for r in outbox_rows)),
        skipped=sum(1 for m, *_ in rows if m.reply_state == SKIPPED),
    )
