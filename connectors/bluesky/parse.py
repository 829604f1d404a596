"""Pure parsing of Bluesky (AT Protocol) JSON into InboundItems, and Bluesky's text rules. No I/O.

A post's ``external_id`` is its ``at://`` URI and its thread is the root post's URI (``record.reply.root``,
or the post itself). A chat message's ``external_id`` is its message id and its thread the convo id. Each
object is parsed on its own: a malformed one becomes ``Malformed`` and never stops the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import regex

from connectors._payload import PayloadError
from connectors._payload import iso_time as parse_time
from connectors.base import Author, InboundItem, Kind, Malformed
from connectors.bluesky.links import linked_text
from connectors.boundary import parse_all

POST_GRAPHEMES, POST_BYTES = 300, 3000
DM_GRAPHEMES, DM_BYTES = 1000, 10_000
REASON_KIND: dict[str, Kind] = {"mention": "mention", "reply": "reply", "quote": "mention"}
GRAPHEME = regex.compile(r"\X")
S32 = "234567abcdefghijklmnopqrstuvwxyz"
RKEY_WINDOW_US = 300_000_000  # 5 minutes: a post's TID rkey must be within 10 minutes of the PDS clock


def bluesky_length(text: str) -> int:
    """Extended grapheme clusters (what Bluesky's 300 limit counts): an emoji ZWJ family is 1, a flag is 1."""
    return len(GRAPHEME.findall(text))


def text_problem(text: str, *, graphemes: int = POST_GRAPHEMES, max_bytes: int = POST_BYTES) -> str | None:
    """Why ``text`` cannot be sent (empty, over the grapheme or UTF-8 byte limit), or None when it can."""
    if not text.strip():
        return "a Bluesky message cannot be empty"
    count, size = bluesky_length(text), len(text.encode("utf-8"))
    if count > graphemes:
        return f"Bluesky allows {graphemes} characters (graphemes); this text has {count}"
    if size > max_bytes:
        return f"Bluesky allows {max_bytes} bytes of UTF-8; this text has {size}"
    return None


def _s32(value: int, width: int) -> str:
    out = ""
    while value:
        out, value = S32[value % 32] + out, value // 32
    return out.rjust(width, "2")


def tid(micros: int, clock_id: int) -> str:
    """An AT Protocol TID (13 base32-sortable characters): 53 bits of microseconds, 10 bits of clock id."""
    return _s32(micros & ((1 << 53) - 1), 11) + _s32(clock_id & 0x3FF, 2)


def tid_time(rkey: str) -> datetime | None:
    """The instant a TID rkey encodes, or None when ``rkey`` is not a TID (records may have other keys)."""
    if len(rkey) != 13 or rkey[0] not in S32[:16] or not set(rkey) <= set(S32):
        return None
    micros = 0
    for char in rkey[:11]:
        micros = micros * 32 + S32.index(char)
    return datetime.fromtimestamp(micros / 1_000_000, UTC)


def rkey_for(idempotency_key: str, at: datetime) -> str:
    """The post rkey for an outbox key in the 5-minute window holding ``at``: the same key gives the same
    rkey within a window (a retried create then conflicts instead of posting twice). The timestamp stays
    within the window, as the PDS requires of client-chosen rkeys; window, offset and clock id come from the
    key's hash."""
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    micros = int(at.timestamp() * 1_000_000)
    window_start = micros - micros % RKEY_WINDOW_US
    return tid(window_start + (digest >> 10) % RKEY_WINDOW_US, digest & 0x3FF)


def _str(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise PayloadError(f"field {key!r} should be a non-empty string, got {value!r}")
    return value


def _obj(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = obj.get(key)
    if not isinstance(value, Mapping):
        raise PayloadError(f"field {key!r} should be an object, got {value!r}")
    return value


def author_of(profile: Mapping[str, Any]) -> Author:
    name = profile.get("displayName")
    handle = profile.get("handle")
    return Author(
        platform_id=_str(profile, "did"),
        handle=handle if isinstance(handle, str) else None,
        display_name=name if isinstance(name, str) and name else None,
    )


def reply_refs(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(root URI, parent URI) of a post record's ``reply``, or (None, None) for a thread's first post."""
    reply = record.get("reply")
    if reply is None:
        return None, None
    if not isinstance(reply, Mapping):
        raise PayloadError(f"field 'reply' should be an object, got {reply!r}")
    return _str(_obj(reply, "root"), "uri"), _str(_obj(reply, "parent"), "uri")


def post_time(created: Any, indexed: Any) -> datetime:
    """When a post was written, as Bluesky's AppView sorts it: ``createdAt`` is set by the author's app, so
    a post is never later than ``indexedAt`` (when the network saw it); either alone serves."""
    if created is None:
        return parse_time(indexed, "indexedAt")
    claimed = parse_time(created, "createdAt")
    if indexed is None:
        return claimed
    return min(claimed, parse_time(indexed, "indexedAt"))


CDN = "https://cdn.bsky.app/img/feed_fullsize/plain"


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _line(kind: str, words: Any, link: Any) -> str:
    parts = [f"[{kind}]", *(v.strip() for v in (words, link) if isinstance(v, str) and v.strip())]
    return " ".join(parts)


def _blob_link(blob: Any) -> str | None:
    ref = blob.get("ref") if isinstance(blob, Mapping) else None
    link = ref.get("$link") if isinstance(ref, Mapping) else None
    return link if isinstance(link, str) and link.isalnum() else None


def embed_lines(embed: Any, did: str, shown: Any = None) -> list[str]:
    """What a post record's (or a chat message's) embed carries, a line each: ``[image] <alt> <url>``,
    ``[video] <alt>``, ``[link] <title> <url>``, ``[post] <uri>`` (a quoted or shared post). ``shown`` is the
    AppView's rendering of it when there is one (its image and video links); else an image links to the
    CDN by the author's DID and the blob's CID, as Bluesky's app shows it."""
    if not isinstance(embed, Mapping):
        return []
    kind = str(embed.get("$type") or "").removesuffix("#view")
    seen = _mapping(shown)
    if kind == "app.bsky.embed.images":
        views = _maps(seen.get("images"))
        lines = []
        for n, image in enumerate(_maps(embed.get("images"))):
            link = _blob_link(image.get("image"))
            url = views[n].get("fullsize") if n < len(views) else None
            lines.append(_line("image", image.get("alt"), url or (link and f"{CDN}/{did}/{link}@jpeg")))
        return lines
    if kind == "app.bsky.embed.video":
        return [_line("video", embed.get("alt"), seen.get("playlist"))]
    if kind == "app.bsky.embed.external":
        external = _mapping(embed.get("external"))
        return [_line("link", external.get("title"), external.get("uri"))]
    if kind == "app.bsky.embed.recordWithMedia":
        return embed_lines(embed.get("media"), did, seen.get("media"))
    if kind == "app.bsky.embed.record":
        record = _mapping(embed.get("record"))
        return [_line("post", None, record.get("uri"))]
    return []


def with_embed(text: str, embed: Any, did: str, shown: Any = None) -> str:
    """``text`` followed by what the embed carries: its media always, a quoted or shared post only when
    there is nothing else to read (a quote is its own thread, and says which post it quotes)."""
    lines = embed_lines(embed, did, shown)
    if text.strip() and lines and lines[0].startswith("[post]"):
        return text
    return "\n".join([text, *lines] if text.strip() else lines) or text


def post_item(view: Mapping[str, Any], *, channel: str, own_did: str, kind: Kind) -> InboundItem:
    """A post (a notification or a search hit: both carry uri, cid, author, record, indexedAt)."""
    uri, _ = _str(view, "uri"), _str(view, "cid")
    record, author = _obj(view, "record"), author_of(_obj(view, "author"))
    text = record.get("text")
    if not isinstance(text, str):
        raise PayloadError(f"field 'text' should be a string, got {text!r}")
    root, parent = reply_refs(record)
    when = post_time(record.get("createdAt"), view.get("indexedAt"))
    return InboundItem(
        channel=channel,
        external_id=uri,
        thread_key=root or uri,
        kind=kind,
        visibility="public",
        direction="out" if author.platform_id == own_did else "in",
        author=author,
        text=with_embed(
            linked_text(text, record.get("facets")),
            record.get("embed"),
            author.platform_id,
            view.get("embed"),
        ),
        created_at=when,
        reply_to=parent,
        raw={"post": dict(view)},
    )


def notification_item(n: Mapping[str, Any], *, channel: str, own_did: str) -> InboundItem | None:
    """A mention, reply or quote notification as an item; None for likes, follows and the like."""
    kind = REASON_KIND.get(str(n.get("reason")))
    return None if kind is None else post_item(n, channel=channel, own_did=own_did, kind=kind)


def dm_item(
    message: Mapping[str, Any], *, channel: str, own_did: str, convo_id: str, members: Mapping[str, Author]
) -> InboundItem | None:
    """A chat message view as an item; None for a deleted message."""
    if message.get("$type") == "chat.bsky.convo.defs#deletedMessageView":
        return None
    sender = _str(_obj(message, "sender"), "did")
    text = message.get("text")
    if not isinstance(text, str):
        raise PayloadError(f"field 'text' should be a string, got {text!r}")
    return InboundItem(
        channel=channel,
        external_id=_str(message, "id"),
        thread_key=convo_id,
        kind="dm",
        visibility="private",
        direction="out" if sender == own_did else "in",
        author=members.get(sender) or Author(platform_id=sender),
        text=with_embed(linked_text(text, message.get("facets")), message.get("embed"), sender),
        created_at=parse_time(message.get("sentAt"), "sentAt"),
        raw={"message": dict(message), "convo": convo_id},
    )


def members_of(convo: Mapping[str, Any]) -> dict[str, Author]:
    """The convo's members by DID; members that do not parse are left out (the DID alone is kept)."""
    out: dict[str, Author] = {}
    for member in convo.get("members") or []:
        if isinstance(member, Mapping):
            try:
                author = author_of(member)
            except PayloadError:
                continue
            out[author.platform_id] = author
    return out


def parse_each(
    objects: Sequence[Any], parse: Callable[[Mapping[str, Any]], InboundItem | None], id_key: str
) -> tuple[list[InboundItem], list[Malformed]]:
    """Apply ``parse`` to each object; items oldest first, the failures as ``Malformed``
    (``connectors.boundary``: any problem with one object quarantines that object alone)."""

    def one(obj: Any) -> InboundItem | None:
        if not isinstance(obj, Mapping):
            raise PayloadError("item is not an object")
        return parse(obj)

    items, bad = parse_all(objects, one, lambda obj: obj.get(id_key))
    items.sort(key=lambda i: (i.created_at, i.external_id))
    return items, bad


def recent_rkeys(idempotency_key: str, now: datetime, windows: int = 288) -> set[str]:
    """The rkeys ``rkey_for`` gave this key in the current and the ``windows`` previous 5-minute windows
    (24 hours by default): a retry finds a post an earlier attempt created."""
    step = RKEY_WINDOW_US / 1_000_000
    return {
        rkey_for(idempotency_key, datetime.fromtimestamp(now.timestamp() - i * step, UTC))
        for i in range(windows + 1)
    }


MENTION = regex.compile(
    r"(?:^|(?<=[\s(]))@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
LINK = regex.compile(r"(?:^|(?<=[\s(]))(https?://[^\s]+?)(?=[.,;:!?)\"']*(?:\s|$))")


def facet_spans(text: str) -> list[tuple[str, int, int, str]]:
    """``(kind, byteStart, byteEnd, value)`` for each ``@handle`` (kind "mention", value the handle) and each
    http(s) link (kind "link", value the URL), with UTF-8 byte offsets as Bluesky facets need."""
    spans: list[tuple[str, int, int, str]] = []
    for kind, pattern in (("mention", MENTION), ("link", LINK)):
        for match in pattern.finditer(text):
            start = match.start(0) if kind == "mention" else match.start(1)
            begin = len(text[:start].encode())
            end = begin + len(text[start : match.end(1)].encode())
            spans.append((kind, begin, end, match.group(1)))
    return sorted(spans, key=lambda s: s[1])
