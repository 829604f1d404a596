"""The facts the reply rules need, read from the store: the customer message a reply would answer, whether it
mentions or quotes the brand, when the customer last wrote. Session-taking, read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlmodel import Session, col, select

from inbox.replies import rules as reply_rules
from inbox.store.tables import Channel, Conversation, Message


def last_inbound(session: Session, conv_id: int) -> Message | None:
    """The customer message a public reply answers (the newest one)."""
    stmt = (
        select(Message)
        .where(Message.conversation_id == conv_id, Message.direction == "in")
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
    )
    return session.exec(stmt).first()


def _tweet(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    tweet = raw.get("tweet")
    return tweet if isinstance(tweet, Mapping) else {}


def _entity_mentions(raw: Mapping[str, Any], channel: Channel) -> bool:
    """X's ``entities.mentions`` of the post name the brand (by id or handle)."""
    entities = _tweet(raw).get("entities")
    found = entities.get("mentions") if isinstance(entities, Mapping) else None
    if not isinstance(found, list):
        return False
    handle = channel.account.lower()
    return any(
        isinstance(m, Mapping)
        and (
            str(m.get("username", "")).lower() == handle
            or (channel.account_id and m.get("id") == channel.account_id)
        )
        for m in found
    )


def _quoted_ids(raw: Mapping[str, Any]) -> list[str]:
    refs = _tweet(raw).get("referenced_tweets")
    if not isinstance(refs, list):
        return []
    return [str(r.get("id")) for r in refs if isinstance(r, Mapping) and r.get("type") == "quoted"]


def quotes_brand(session: Session, channel: Channel, message: Message) -> bool:
    """The post quotes one of the brand's own posts (stored as the channel's outbound messages)."""
    quoted = _quoted_ids(message.raw)
    if not quoted:
        return False
    stmt = select(Message.id).where(
        Message.channel_id == channel.id, Message.direction == "out", col(Message.platform_id).in_(quoted)
    )
    return session.exec(stmt).first() is not None


def mentions_brand(channel: Channel, message: Message) -> bool:
    """Read from the mentions stream, or the text or X's entities @mention the brand."""
    return (
        message.kind == "mention"
        or reply_rules.mentions(message.text, channel.account)
        or _entity_mentions(message.raw, channel)
    )


def facts(
    session: Session, conv: Conversation, channel: Channel, options: Mapping[str, object] | None = None
) -> reply_rules.ReplyFacts:
    last = last_inbound(session, conv.id or 0)
    return reply_rules.ReplyFacts(
        platform=channel.platform,
        kind=conv.kind,
        visibility=conv.visibility,
        mentions_brand=last is not None and mentions_brand(channel, last),
        quotes_brand=last is not None and quotes_brand(session, channel, last),
        last_inbound_at=conv.last_inbound_at,
        options=options,
    )


def decision(
    session: Session,
    conv: Conversation,
    now: datetime,
    options: Mapping[str, object] | None = None,
    zone: tzinfo = UTC,
) -> reply_rules.Decision:
    """What the rules say of this conversation now (``options``: the channel's options from channels.toml;
    ``zone``: the time zone of the times in the reasons, the team's on its pages)."""
    channel = session.get(Channel, conv.channel_id)
    assert channel is not None
    return reply_rules.decide(facts(session, conv, channel, options), now, zone)
