"""Pure parsing of X API v2 JSON pages into InboundItems. No I/O.

Every item is parsed on its own: a malformed one becomes a ``Malformed`` record (kept in quarantine
by the inbox) and never stops the rest of the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from connectors._payload import PayloadError
from connectors._payload import iso_time as parse_time
from connectors._payload import text_field as _str
from connectors.base import Author, InboundItem, Malformed
from connectors.boundary import parse_all, seal_malformed

T_CO = "https://t.co/"


def users_by_id(payload: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The ``includes.users`` expansion keyed by id; tolerant of a missing or odd ``includes``."""
    includes = payload.get("includes")
    users = includes.get("users") if isinstance(includes, Mapping) else None
    if not isinstance(users, list):
        return {}
    return {u["id"]: u for u in users if isinstance(u, Mapping) and isinstance(u.get("id"), str)}


def author_from(user_id: str, users: Mapping[str, Mapping[str, Any]]) -> Author:
    """An Author from the expansion; only the id when the user is missing from ``includes``."""
    user = users.get(user_id)
    if user is None:
        return Author(platform_id=user_id)
    metrics = user.get("public_metrics")
    followers = metrics.get("followers_count") if isinstance(metrics, Mapping) else None
    return Author(
        platform_id=user_id,
        handle=user.get("username") if isinstance(user.get("username"), str) else None,
        display_name=user.get("name") if isinstance(user.get("name"), str) else None,
        followers=followers if isinstance(followers, int) else None,
    )


def _references(tweet: Mapping[str, Any]) -> dict[str, str]:
    refs = tweet.get("referenced_tweets") or []
    if not isinstance(refs, list):
        raise PayloadError("field 'referenced_tweets' should be a list")
    out: dict[str, str] = {}
    for ref in refs:
        if not isinstance(ref, Mapping) or not isinstance(ref.get("type"), str):
            raise PayloadError(f"malformed referenced_tweets entry {ref!r}")
        out[ref["type"]] = str(ref.get("id"))
    return out


def tweet_item(
    tweet: Mapping[str, Any],
    *,
    channel: str,
    brand_id: str,
    users: Mapping[str, Mapping[str, Any]],
    kind: str,
) -> InboundItem | None:
    """One tweet as an item; None for a retweet without comment (not a customer message)."""
    tweet_id = _str(tweet, "id")
    assert tweet_id is not None
    text = whole_text(tweet)
    created = _str(tweet, "created_at")
    refs = _references(tweet)
    if "retweeted" in refs:
        return None
    author_id = _str(tweet, "author_id", required=False) or "unknown"
    own = author_id == brand_id
    return InboundItem(
        channel=channel,
        external_id=tweet_id,
        thread_key=_str(tweet, "conversation_id", required=False) or tweet_id,
        kind="listening" if kind == "listening" else "mention",
        visibility="public",
        direction="out" if own else "in",
        author=author_from(author_id, users),
        text=with_media(text or "", tweet),
        created_at=parse_time(created or ""),
        reply_to=refs.get("replied_to"),
        raw={"tweet": dict(tweet), "author": dict(users.get(author_id, {}))},
        edits=earlier_versions(tweet, tweet_id),
    )


def whole_text(tweet: Mapping[str, Any]) -> str | None:
    """A post's whole text as typed: a long post (X Premium, up to 25,000 characters) has its ``text`` cut
    at 280 weighted characters and the whole of it in ``note_tweet`` (text and entities); X escapes &, <
    and > (``&amp;``: decoded once, before the links go back, so a link's own "&copy=" stays); every link
    shows as a t.co link that ``entities.urls`` expands."""
    note = tweet.get("note_tweet")
    whole = note.get("text") if isinstance(note, Mapping) else None
    if isinstance(note, Mapping) and isinstance(whole, str) and whole.strip():
        return expand_links(html.unescape(whole), note)
    text = _str(tweet, "text")
    return None if text is None else expand_links(html.unescape(text), tweet)


MEDIA_KINDS = {"3": "photo", "7": "video", "13": "video", "16": "animated_gif"}  # by media_key prefix


def with_media(text: str, holder: Mapping[str, Any]) -> str:
    """``text`` followed by a line per medium of ``holder["attachments"]`` (``[photo]``, ``[video]``,
    ``[animated_gif]``, by X's media_key prefix): a post or DM of a photo alone is never an empty message."""
    attachments = holder.get("attachments")
    keys = attachments.get("media_keys") if isinstance(attachments, Mapping) else None
    notes = [
        f"[{MEDIA_KINDS.get(k.partition('_')[0], 'media')}]"
        for k in (keys if isinstance(keys, list) else [])
        if isinstance(k, str)
    ]
    return "\n".join([text, *notes] if text else notes)


def expand_links(text: str, holder: Mapping[str, Any]) -> str:
    """``text`` with each t.co link of ``holder["entities"]["urls"]`` replaced by the link it stands for
    (``expanded_url``); a link X did not expand, or an odd entity, stays as it is."""
    entities = holder.get("entities")
    urls = entities.get("urls") if isinstance(entities, Mapping) else None
    typed: dict[str, str] = {}
    for url in urls if isinstance(urls, list) else []:
        short = url.get("url") if isinstance(url, Mapping) else None
        long = url.get("expanded_url") if isinstance(url, Mapping) else None
        if isinstance(short, str) and short.startswith(T_CO) and isinstance(long, str) and long.strip():
            typed[short] = long
    if not typed:
        return text
    links = re.compile("|".join(rf"{re.escape(s)}(?![\w/])" for s in sorted(typed, key=len, reverse=True)))
    return links.sub(lambda m: typed[m.group()], text)


def earlier_versions(tweet: Mapping[str, Any], tweet_id: str) -> tuple[str, ...]:
    """The ids of an edited post's earlier versions, oldest first: X gives each edit a new id and lists the
    chain in ``edit_history_tweet_ids`` (the original first, this version last). A history that does not
    end with this post is not trusted: none."""
    history = tweet.get("edit_history_tweet_ids") or tweet.get("edit_history_post_ids")  # renamed in 2026
    if not isinstance(history, list) or not history or str(history[-1]) != tweet_id:
        return ()
    return tuple(str(i) for i in history[:-1])


def dm_item(
    event: Mapping[str, Any], *, channel: str, brand_id: str, users: Mapping[str, Mapping[str, Any]]
) -> InboundItem | None:
    """One DM event as an item; None for events that are not messages (joins, leaves)."""
    event_id = _str(event, "id")
    assert event_id is not None
    if event.get("event_type", "MessageCreate") != "MessageCreate":
        return None
    sender = _str(event, "sender_id")
    assert sender is not None
    conversation = _str(event, "dm_conversation_id")
    assert conversation is not None
    own = sender == brand_id
    return InboundItem(
        channel=channel,
        external_id=event_id,
        thread_key=conversation,
        kind="dm",
        visibility="private",
        direction="out" if own else "in",
        author=author_from(sender, users),
        text=with_media(expand_links(_str(event, "text") or "", event), event),
        created_at=parse_time(_str(event, "created_at") or ""),
        raw={"event": dict(event), "author": dict(users.get(sender, {}))},
    )


def other_participant(conversation_id: str, brand_id: str) -> str | None:
    """The customer's id in a 1:1 DM conversation id of the form ``"{low}-{high}"``."""
    ids = conversation_id.split("-")
    others = [i for i in ids if i != brand_id]
    return others[0] if len(ids) == 2 and len(others) == 1 else None


def parse_page(
    payload: Any, *, stream: str, channel: str, brand_id: str
) -> tuple[list[InboundItem], list[Malformed]]:
    """A page (newest first, as X sends it) as items oldest first, plus what could not be parsed
    (``connectors.boundary``: any problem with one object quarantines that object alone)."""
    if not isinstance(payload, Mapping):
        error = f"the page should be an object, got {type(payload).__name__}"
        return [], [seal_malformed(Malformed(external_id=None, error=error, raw={"page": payload}))]
    data = payload.get("data") or []
    if not isinstance(data, list):
        error = "field 'data' should be a list"
        return [], [seal_malformed(Malformed(external_id=None, error=error, raw=dict(payload)))]
    users = users_by_id(payload)

    def parse(obj: Any) -> InboundItem | None:
        if not isinstance(obj, Mapping):
            raise PayloadError("item is not an object")
        if stream == "dms":
            return dm_item(obj, channel=channel, brand_id=brand_id, users=users)
        return tweet_item(obj, channel=channel, brand_id=brand_id, users=users, kind=stream)

    items, bad = parse_all(data, parse, lambda o: o.get("id"))
    items.sort(key=lambda i: (i.created_at, id_key(i.external_id)))
    return items, bad


def id_key(external_id: str) -> tuple[int, str]:
    """X ids sort as numbers: ASCII digits by length, then digit by digit (never ``int``, which refuses
    4,300 digits and more, so one such id made the whole page unreadable); any other id first."""
    numeric = external_id.isascii() and external_id.isdigit()
    return (len(external_id), external_id) if numeric else (0, external_id)


def snowflake(value: Any) -> int | None:
    """An X id as the number it is (a snowflake: at most 19 ASCII digits, below 2**63), else None. A cursor
    only ever moves to such an id: one poison id of 30 digits would put every later one behind it."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
        return number if number < 2**63 else None
    return None


def is_before(event: Any, start: str) -> bool:
    """A DM event older than ``start`` (both RFC 3339 UTC as X writes them: text order is time order)."""
    when = str(event.get("created_at", "")) if isinstance(event, Mapping) else ""
    return bool(start and when) and when < start


def is_seen(event: Any, seen: int) -> bool:
    """A DM event the DM cursor ``seen`` (the newest id read) has already read."""
    ident = snowflake(event.get("id")) if isinstance(event, Mapping) else None
    return bool(seen) and ident is not None and ident <= seen
