"""Channel stand-by: admins pause and resume a channel's listening or sending. Session-taking; never commits.

The state is on the channel's row (no file edit, no restart): the listener skips the streams of a channel
whose listening is paused (``inbox.ingest.poll``), and the outbox leaves a channel's replies pending while
its sending is paused (``inbox.outbox.delivery``): held, neither failed nor lost, delivered once resumed.
Pausing what is already paused (or resuming what runs) changes nothing and audits nothing; each switch is
audited as ``channel.paused`` / ``channel.resumed`` with what (listening or sending).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from inbox.access import Actor, require
from inbox.config.channels import ChannelConfig
from inbox.store import records as store
from inbox.store.tables import Channel, OutboundReply

What = Literal["listening", "sending"]
WHAT: tuple[What, ...] = ("listening", "sending")
ACTIONS = ("channel.paused", "channel.resumed")


@dataclass(frozen=True, slots=True)
class Pause:
    """One paused direction of a channel: since when and by whom."""

    channel: str
    what: What
    since: datetime
    by: str


def pauses(channel: Channel) -> list[Pause]:
    """What is paused on this channel (nothing: an empty list)."""
    found = []
    if channel.listening_paused_at is not None:
        found.append(
            Pause(channel.name, "listening", channel.listening_paused_at, channel.listening_paused_by or "?")
        )
    if channel.sending_paused_at is not None:
        found.append(
            Pause(channel.name, "sending", channel.sending_paused_at, channel.sending_paused_by or "?")
        )
    return found


def _switch(session: Session, by: Actor, cfg: ChannelConfig, what: What, paused: bool, now: datetime) -> bool:
    require(by, "channels")
    if what not in WHAT:
        raise ValueError(f"what must be one of {WHAT}, got {what!r}")
    channel = store.ensure_channel(session, cfg.name, cfg.platform, cfg.account)
    if (getattr(channel, f"{what}_paused_at") is not None) == paused:
        return False
    setattr(channel, f"{what}_paused_at", now if paused else None)
    setattr(channel, f"{what}_paused_by", by.name if paused else None)
    action = "channel.paused" if paused else "channel.resumed"
    store.audit(session, by.name, action, target=("channel", cfg.name), detail={"what": what}, at=now)
    return True


def pause(session: Session, by: Actor, cfg: ChannelConfig, what: What, now: datetime) -> bool:
    """Put the channel's listening or sending on stand-by (admins); False when it already was."""
    return _switch(session, by, cfg, what, True, now)


def resume(session: Session, by: Actor, cfg: ChannelConfig, what: What, now: datetime) -> bool:
    """Resume the channel's listening or sending (admins); False when it was running."""
    return _switch(session, by, cfg, what, False, now)


def paused_sending(session: Session) -> list[Pause]:
    """Every channel whose sending is paused, by name."""
    rows = session.exec(
        select(Channel).where(col(Channel.sending_paused_at).is_not(None)).order_by(col(Channel.name))
    )
    return [p for c in rows for p in pauses(c) if p.what == "sending"]


def sending_paused_ids() -> SelectOfScalar[int | None]:
    """The ids of the channels whose sending is paused, as a subquery (the outbox's claim skips them)."""
    return select(col(Channel.id)).where(col(Channel.sending_paused_at).is_not(None))


def held_replies(session: Session) -> dict[str, int]:
    """Replies waiting in the outbox of each channel whose sending is paused (channel name -> count)."""
    rows = session.exec(
        select(Channel.name, func.count())
        .join(OutboundReply, col(OutboundReply.channel_id) == col(Channel.id))
        .where(col(Channel.sending_paused_at).is_not(None), OutboundReply.status == "pending")
        .group_by(col(Channel.name))
    ).all()
    return {name: int(n) for name, n in rows}
