"""Sends the platform confirmed: a lost answer settled by the platform's own delivery status, never posted
twice. Reads the store; session-taking, never commits (``confirm_uncertain`` commits its own).

WhatsApp gives back the outbox key each send carried (``biz_opaque_callback_data``) in the status webhooks of
the message it accepted (``connectors.capabilities.ConfirmsSends``), and the webhook receiver keeps every
verified body. WhatsApp has no way to look for a message afterwards, so a send whose answer was lost used to
stay *uncertain* for a person to check, with nowhere to check it. Now the channel's webhook bodies received
in the day after the reply's first unsure attempt are read for a status naming its key: one proves the
message went out, with its id, and the delivery is recorded instead of posting again (audited as
``reply.found_on_platform``, ``source: delivery status``). No status (yet) proves nothing: the reply stays
uncertain, and the sender records it as soon as one comes (``confirm_uncertain``, each run).

The other way round, a ``failed`` status can beat the POST's own answer: the receiver then finds the reply
still being sent and cannot fail it. The sender reads it when it records the send (``failed_meanwhile``), so
the reply ends failed, as if the status had come after (before, it stayed "sent", never delivered).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import Engine, LargeBinary, func, literal
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from connectors.base import Connector, Sent
from connectors.capabilities import ConfirmsSends, ReportsDeliveryFailures
from inbox.ingest.webhooks.deliveries import mark_failed
from inbox.outbox.recording import record_delivery
from inbox.store import records as store
from inbox.store.tables import Channel, OutboundReply, WebhookEvent

FOUND = "reply.found_on_platform"
LATEST = timedelta(days=1)  # a status comes within seconds; later than a day, it is not looked for
UNCERTAIN = "delivery uncertain%"  # how mark_uncertain starts its error


def confirmation(session: Session, connector: object, reply: OutboundReply, since: datetime) -> Sent | None:
    """The platform's confirmation of ``reply`` in the channel's webhook bodies received since ``since``."""
    if not isinstance(connector, ConfirmsSends):
        return None
    bodies = select(WebhookEvent.body).where(
        WebhookEvent.channel_id == reply.channel_id,
        col(WebhookEvent.received_at) >= since,
        col(WebhookEvent.received_at) <= since + LATEST,
        _naming(session, reply.idempotency_key.encode()),
    )
    for body in session.exec(bodies):
        for key, message_id in connector.confirmed_sends(body):
            if key == reply.idempotency_key:
                return Sent(external_id=message_id)
    return None


def failed_meanwhile(session: Session, connector: object, reply: OutboundReply, since: datetime) -> None:
    """Fail a reply just recorded sent whose ``failed`` status the receiver kept since ``since`` (it came
    before the send was recorded, so the receiver could not fail it then)."""
    if not isinstance(connector, ReportsDeliveryFailures) or not reply.platform_id:
        return
    bodies = select(WebhookEvent.body).where(
        WebhookEvent.channel_id == reply.channel_id,
        col(WebhookEvent.received_at) >= since,
        _naming(session, reply.platform_id.encode()),
    )
    failures = [
        f for b in session.exec(bodies) for f in connector.delivery_failures(b) if f[0] == reply.platform_id
    ]
    mark_failed(session, reply.channel_id, failures[:1], reply.sent_at or since)


def _naming(session: Session, needle: bytes) -> ColumnElement[bool]:
    """SQL: the webhook body holds ``needle`` (bytes: PostgreSQL's bytea LIKE, SQLite's instr on blobs)."""
    body = col(WebhookEvent.body)
    if session.get_bind().dialect.name == "sqlite":
        found: ColumnElement[bool] = func.instr(body, literal(needle, LargeBinary)) > 0
        return found
    return body.op("LIKE")(literal(b"%" + needle + b"%", LargeBinary))


def record_confirmed(session: Session, reply: OutboundReply, found: Sent, now: datetime) -> None:
    """Record a confirmed delivery, audited as found (by the person whose Retry led here, if any)."""
    detail = {"reply": reply.id, "found": found.external_id, "source": "delivery status"}
    if reply.checked_by:
        detail["retried_by"] = reply.checked_by
    actor = reply.checked_by or "sender"
    store.audit(session, actor, FOUND, target=("conversation", reply.conversation_id), detail=detail, at=now)
    record_delivery(session, reply, found, now)


def confirm_uncertain(
    engine: Engine, connectors: Mapping[str, Connector], now: datetime, margin: timedelta
) -> int:
    """Record every uncertain reply whose delivery the platform has confirmed since; how many."""
    names = [name for name, c in connectors.items() if isinstance(c, ConfirmsSends)]
    if not names:
        return 0
    with Session(engine) as session:
        named = session.exec(select(Channel.id, Channel.name).where(col(Channel.name).in_(names))).all()
        channels = {i: name for i, name in named if i is not None}
        waiting = session.exec(
            select(OutboundReply.id).where(
                OutboundReply.status == "failed",
                col(OutboundReply.unsure_from).is_not(None),
                col(OutboundReply.last_error).like(UNCERTAIN),
                col(OutboundReply.channel_id).in_(list(channels)),
                col(OutboundReply.unsure_from) >= now - LATEST,
            )
        ).all()
    done = 0
    for reply_id in (i for i in waiting if i is not None):
        try:
            done += _confirm_one(engine, connectors, channels, reply_id, now, margin)
        except IntegrityError:  # another sender recorded the same message meanwhile
            continue
    return done


def _confirm_one(
    engine: Engine,
    connectors: Mapping[str, Connector],
    channels: Mapping[int, str],
    reply_id: int,
    now: datetime,
    margin: timedelta,
) -> bool:
    with Session(engine) as session, session.begin():
        row = session.get(OutboundReply, reply_id, with_for_update=True)
        if row is None or row.status != "failed" or row.unsure_from is None:
            return False  # a person's Retry took it meanwhile: the sender looks at it
        found = confirmation(session, connectors[channels[row.channel_id]], row, row.unsure_from - margin)
        if found is not None:
            record_confirmed(session, row, found, now)
        return found is not None
