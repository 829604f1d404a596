"""The stored history a simulation replays: the conversations that arrived in a period (their first customer
message), and the handling times agents took on each channel and kind. Reads the database; never writes.

Moderated conversations are left out: the inbox never answers them (docs/moderation.md). Handling times are
the dashboard's (docs/kpis.md, "Handling time"), measured on the replies queued in the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import not_
from sqlmodel import Session, col, select

from inbox.charter.sla import charter_kind
from inbox.desk.queue import moderated
from inbox.reports.channel_filter import ChannelIds
from inbox.reports.kpis import HANDLING_LOOKBACK, handling_spans
from inbox.reports.period import Period
from inbox.reports.queries import agent_events, cohort
from inbox.reports.simulation.arrivals import Arrival
from inbox.reports.simulation.handling import DEFAULT_MINUTES, HandlingModel
from inbox.reports.stats import minutes
from inbox.store.tables import Channel, Conversation


def stored_arrivals(session: Session, period: Period, cid: ChannelIds = None) -> list[Arrival]:
    """One arrival per conversation whose first customer message came in the period (on the channels
    ``cid``, every one by default), oldest first."""
    return [
        Arrival(
            at=f.first_inbound_at,
            channel=f.channel,
            kind=charter_kind(f.kind, f.visibility),
            urgency=f.arrival_urgency,
            tags=f.tags,
            platform=f.platform,
            reason=f.reason,
        )
        for f in cohort(session, period, cid, not_(moderated()))
    ]


def _channel_kinds(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    out: dict[int, tuple[str, str]] = {}
    for n in range(0, len(ids), 500):
        stmt = (
            select(Conversation.id, Channel.name, Conversation.kind, Conversation.visibility)
            .join(Channel, col(Channel.id) == col(Conversation.channel_id))
            .where(col(Conversation.id).in_(ids[n : n + 500]))
        )
        out.update(
            (cid, (name, charter_kind(kind, vis))) for cid, name, kind, vis in session.exec(stmt).all() if cid
        )
    return out


def observed_handling(
    session: Session, period: Period, default_minutes: float = DEFAULT_MINUTES, cid: ChannelIds = None
) -> HandlingModel:
    """The handling minutes measured in the period, per (channel, charter kind), on the channels ``cid``."""
    spans = handling_spans(agent_events(session, period, cid, HANDLING_LOOKBACK), period)
    where = _channel_kinds(session, sorted({conversation for _, conversation, _ in spans}))
    observed: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _agent, conversation, spent in spans:
        if conversation in where and spent.total_seconds() > 0:
            observed[where[conversation]].append(minutes(spent))
    return HandlingModel({k: tuple(v) for k, v in observed.items()}, default_minutes)
