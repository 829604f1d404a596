"""The brand's messages sent in a period, and the channel and kind of conversations, counted by the database.

A person's reply is an outbound message that is not one of the charter's automatic messages
(``inbox.ingest.clocks.person_answer``); both are counted per channel and kind of their conversation
(public, private, listening: ``charter_kind``). Session-taking, read-only.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from inbox.charter.sla import charter_kind
from inbox.ingest.clocks import person_answer
from inbox.reports.channel_filter import ChannelIds, in_channels
from inbox.reports.contact_kpis import Key, OutboundCount
from inbox.reports.period import Period
from inbox.store.records import one_of
from inbox.store.tables import Channel, Conversation, Message


def outbound_counts(session: Session, period: Period, cid: ChannelIds) -> list[OutboundCount]:
    c = Conversation
    person = func.sum(case((person_answer(), 1), else_=0))
    stmt = (
        columns(col(Channel.name), col(c.kind), col(c.visibility), person, func.count())
        .select_from(Message)
        .join(c, col(c.id) == col(Message.conversation_id))
        .join(Channel, col(Channel.id) == col(Message.channel_id))
        .where(
            col(Message.direction) == "out",
            col(Message.created_at) >= period.start,
            col(Message.created_at) < period.end,
        )
        .group_by(col(Channel.name), col(c.kind), col(c.visibility))
    )
    stmt = stmt.where(*in_channels(Message.channel_id, cid))
    sums: dict[Key, list[int]] = {}
    for name, kind, visibility, people, total in session.connection().execute(stmt):
        s = sums.setdefault((name, charter_kind(kind, visibility)), [0, 0])
        s[0], s[1] = s[0] + int(people or 0), s[1] + int(total) - int(people or 0)
    return [OutboundCount(ch, kind, p, a) for (ch, kind), (p, a) in sorted(sums.items())]


def conversation_kinds(session: Session, ids: Sequence[int]) -> dict[int, Key]:
    """Channel name and charter kind of each conversation."""
    if not ids:
        return {}
    c = Conversation
    stmt = (
        select(c.id, Channel.name, c.kind, c.visibility)
        .join(Channel, col(Channel.id) == col(c.channel_id))
        .where(one_of(session, col(c.id), list(ids)))
    )
    return {i: (name, charter_kind(k, v)) for i, name, k, v in session.exec(stmt).all() if i is not None}
