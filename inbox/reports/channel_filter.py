"""Which channels a report counts: every channel, one, or several (the channels a restricted manager works).

``Channels`` names them as the report functions take them (``None``: every channel; a name: that channel; a
tuple of names: those channels, none when empty); ``channel_ids`` reads their ids once, and ``in_channels``
is the condition each query adds. Session-taking, read-only.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from inbox.store.tables import Channel

Channels = str | tuple[str, ...] | None  # every channel (None), one by name, or several (none when empty)
ChannelIds = int | Collection[int] | None  # the same by id; an unknown name's id is -1 (matches nothing)


def channels_of(names: Collection[str] | None) -> Channels:
    """The ``Channels`` for a set of names (a user's channel scope): None stays every channel."""
    return None if names is None else tuple(sorted(names))


def channel_ids(session: Session, channels: Channels) -> ChannelIds:
    """The ids of ``channels``: None for every channel, -1 for an unknown name, the known ones of a tuple."""
    if channels is None:
        return None
    if isinstance(channels, str):
        found = session.exec(select(Channel.id).where(Channel.name == channels)).first()
        return found if found is not None else -1
    if not channels:
        return frozenset()
    ids = session.exec(select(Channel.id).where(col(Channel.name).in_(channels))).all()
    return frozenset(i for i in ids if i is not None)


def in_channels(column: Any, cid: ChannelIds) -> list[ColumnElement[bool]]:
    """The conditions keeping the rows whose ``column`` (a channel id) is among ``cid`` (none: every row)."""
    if cid is None:
        return []
    if isinstance(cid, int):
        return [col(column) == cid]
    ids = sorted(cid)
    return [col(column) == ids[0]] if len(ids) == 1 else [col(column).in_(ids)]


def channels_text(channels: Channels) -> str:
    """The channels for a line of text: their names, comma-separated ("" for every channel)."""
    if channels is None:
        return ""
    return channels if isinstance(channels, str) else ", ".join(channels)
