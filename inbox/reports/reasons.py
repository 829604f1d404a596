"""The reason mix: customer messages per channel and contact reason over a period, and per local day of the
team's time zone (grouped counts in the database, on the indexed ``message.created_at``; hours, or quarter
hours for a zone off the whole hour, summed into local days as the sentiment trend does); session-taking,
read-only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import func
from sqlalchemy import select as columns
from sqlmodel import Session, col

from inbox.reports.channel_filter import ChannelIds, in_channels
from inbox.reports.period import Period, local_day, whole_hour_offsets
from inbox.reports.sqltime import as_utc, from_quarter, quarter_hour, utc_hour
from inbox.store.tables import Channel, Message

UNCLASSIFIED = "unclassified"  # stored before contact reasons existed and not reclassified since


@dataclass(frozen=True, slots=True)
class ReasonShare:
    channel: str
    reason: str
    messages: int
    share: float  # of the channel's customer messages in the period


def reason_mix(session: Session, period: Period, channel_id: ChannelIds = None) -> list[ReasonShare]:
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
    stmt = stmt.where(*in_channels(Message.channel_id, channel_id))
    counts = [
        (str(name), reason or UNCLASSIFIED, int(n)) for name, reason, n in session.connection().execute(stmt)
    ]
    totals: dict[str, int] = {}
    for name, _, n in counts:
        totals[name] = totals.get(name, 0) + n
    shares = [ReasonShare(name, reason, n, n / totals[name]) for name, reason, n in counts]
    return sorted(shares, key=lambda s: (s.channel, -s.messages, s.reason))


@dataclass(frozen=True, slots=True)
class ReasonDay:
    day: date  # local day of the period's time zone
    channel: str
    reason: str
    messages: int
    share: float  # of the channel's customer messages that day


def reason_days(session: Session, period: Period, channel_id: ChannelIds = None) -> list[ReasonDay]:
    """Every (local day, channel, reason) with customer messages in ``period``: day, channel, most first."""
    whole = whole_hour_offsets(period)
    hour = utc_hour(col(Message.created_at)) if whole else quarter_hour(col(Message.created_at))
    stmt = (
        columns(col(Channel.name), col(Message.reason), hour, func.count())
        .select_from(Message)
        .join(Channel, col(Channel.id) == col(Message.channel_id))
        .where(
            col(Message.direction) == "in",
            col(Message.created_at) >= period.start,
            col(Message.created_at) < period.end,
        )
        .group_by(col(Channel.name), col(Message.reason), hour)
    )
    stmt = stmt.where(*in_channels(Message.channel_id, channel_id))
    counts: dict[tuple[date, str, str], int] = defaultdict(int)
    for name, reason, bucket, n in session.connection().execute(stmt):
        at = as_utc(bucket) if whole else from_quarter(cast(int, bucket))
        counts[(local_day(at, period.tz), str(name), reason or UNCLASSIFIED)] += int(n)
    totals: dict[tuple[date, str], int] = defaultdict(int)
    for (day, name, _reason), n in counts.items():
        totals[(day, name)] += n
    rows = [ReasonDay(d, c, r, n, n / totals[(d, c)]) for (d, c, r), n in counts.items()]
    return sorted(rows, key=lambda x: (x.day, x.channel, -x.messages, x.reason))
