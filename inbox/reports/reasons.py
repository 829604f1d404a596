"""The reason mix: customer messages per channel and contact reason over a period (one grouped count in the
database, on the indexed ``message.created_at``); session-taking, read-only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as columns
from sqlmodel import Session, col

from inbox.reports.period import Period
from inbox.store.tables import Channel, Message

UNCLASSIFIED = "unclassified"  # stored before contact reasons existed and not reclassified since


@dataclass(frozen=True, slots=True)
class ReasonShare:
    channel: str
    reason: str
    messages: int
    share: float  # of the channel's customer messages in the period


def reason_mix(session: Session, period: Period, channel_id: int | None = None) -> list[ReasonShare]:
    """Every (channel, reason) with customer messages in ``period``, most frequent first per channel."""
    stmt = (
        columns(col(Channel.name), col(Message.reason), func.count())
        .select_from(Message)
        .join(Channel, col(Channel.id) == col(Message.channel_id))
        .where(
            col(Message.direction) == "in",
            col(Message.created_at) >= period.start,
            col(Message.created_at) < period.end,
        )
        .group_by(col(Channel.name), col(Message.reason))
    )
    if channel_id is not None:
        stmt = stmt.where(col(Message.channel_id) == channel_id)
    counts = [
        (str(name), reason or UNCLASSIFIED, int(n)) for name, reason, n in session.connection().execute(stmt)
    ]
    totals: dict[str, int] = {}
    for name, _, n in counts:
        totals[name] = totals.get(name, 0) + n
    shares = [ReasonShare(name, reason, n, n / totals[name]) for name, reason, n in counts]
    return sorted(shares, key=lambda s: (s.channel, -s.messages, s.reason))
