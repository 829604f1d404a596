"""Pure parsing of Graph API comments (Facebook Page, Instagram) into InboundItems. No I/O.

Shared by polling (Graph REST reads) and webhooks (``connectors.meta.events``): one comment gets the same
``external_id``, ``thread_key`` and ``reply_to`` whichever way it arrives, so ingestion stores it once.
A comment thread is one conversation: its key is the top-level comment's id (Facebook and Instagram nest
replies one level deep). The brand's own comments come back with ``direction="out"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from connectors._payload import PayloadError, text_field, unix_time
from connectors.base import Author, InboundItem, Malformed
from connectors.boundary import parse_all, seal_malformed

MS_THRESHOLD = 100_000_000_000  # a Unix time above this is in milliseconds (Messenger), else seconds


def id_field(obj: Mapping[str, Any], key: str = "id") -> str:
    """An id (Graph ids are strings; numbers are accepted and kept as their decimal text)."""
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise PayloadError(f"missing or invalid id field {key!r}: {value!r}")
    return str(value)


def obj_field(obj: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise PayloadError(f"field {key!r} should be an object, got {type(value).__name__}")
    return value


def parse_time(value: Any) -> datetime:
    """Graph times as aware UTC: ISO 8601 (``2026-01-02T03:04:05+0000``), Unix seconds or milliseconds
    (an int, or a numeric string as WhatsApp sends)."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > MS_THRESHOLD else value
        return unix_time(seconds, "timestamp")
    if not isinstance(value, str):
        raise PayloadError(f"time should be ISO 8601 or Unix time, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"time is not ISO 8601: {value!r}") from None
    if parsed.tzinfo is None:
        raise PayloadError(f"time has no offset: {value!r}")
    return parsed.astimezone(UTC)


def comment_item(
    *,
    channel: str,
    brand_id: str,
    comment_id: str,
    container_id: str,
    parent_id: str | None,
    author: Author,
    text: str,
    created_at: datetime,
    raw: Mapping[str, Any],
) -> InboundItem:
    """A comment on a post or media: a reply's thread is its parent comment, a top-level comment its own."""
    is_reply = parent_id is not None and parent_id != container_id
    return InboundItem(
        channel=channel,
        external_id=comment_id,
        thread_key=parent_id if is_reply and parent_id else comment_id,
        kind="comment",
        visibility="public",
        direction="out" if author.platform_id == brand_id else "in",
        author=author,
        text=text,
        created_at=created_at,
        reply_to=parent_id if is_reply else container_id,
        raw=dict(raw),
    )


def words(*values: Any) -> str:
    """The values that are words or numbers, stripped, joined by spaces ("[location] Eiffel 48.8,2.3")."""
    kept = [v for v in values if isinstance(v, str | int | float) and not isinstance(v, bool)]
    return " ".join(str(v).strip() for v in kept if str(v).strip())


def with_media(text: str, kind: Any, url: Any) -> str:
    """A comment's words followed by what it carries (``[photo] https://…``): a photo-only comment (a
    screenshot of the problem) is not an empty message."""
    if not isinstance(kind, str) or not kind:
        return text
    note = f"[{kind}]" + (f" {url}" if isinstance(url, str) and url else "")
    return f"{text}\n{note}" if text else note


def fb_attachment_text(text: str, attachment: Any) -> str:
    """``with_media`` for a Graph comment's ``attachment`` (type photo, video_inline, sticker, share…)."""
    if not isinstance(attachment, Mapping):
        return text
    media = attachment.get("media")
    image = media.get("image") if isinstance(media, Mapping) else None
    src = image.get("src") if isinstance(image, Mapping) else None
    return with_media(text, attachment.get("type"), attachment.get("url") or src)


def fb_comment(c: Mapping[str, Any], *, channel: str, page_id: str, post_id: str) -> InboundItem:
    """A Page comment as read from ``GET /{post-id}/comments`` (fields id, from, message, created_time,
    parent, attachment)."""
    sender = obj_field(c, "from") or {}
    author_id = str(sender.get("id") or "unknown")
    parent = obj_field(c, "parent")
    return comment_item(
        channel=channel,
        brand_id=page_id,
        comment_id=id_field(c),
        container_id=post_id,
        parent_id=id_field(parent) if parent else None,
        author=Author(platform_id=author_id, display_name=_opt_str(sender, "name")),
        text=fb_attachment_text(text_field(c, "message", required=False) or "", c.get("attachment")),
        created_at=parse_time(c.get("created_time")),
        raw={"comment": dict(c), "post_id": post_id},
    )


def ig_comment(c: Mapping[str, Any], *, channel: str, ig_user_id: str, media_id: str) -> InboundItem:
    """An Instagram comment as read from ``GET /{media-id}/comments`` (fields id, text, timestamp, from,
    username, parent_id)."""
    sender = obj_field(c, "from") or {}
    username = _opt_str(sender, "username") or _opt_str(c, "username")
    author_id = str(sender.get("id") or username or "unknown")
    return comment_item(
        channel=channel,
        brand_id=ig_user_id,
        comment_id=id_field(c),
        container_id=media_id,
        parent_id=text_field(c, "parent_id", required=False),
        author=Author(platform_id=author_id, handle=username),
        text=text_field(c, "text", required=False) or "",
        created_at=parse_time(c.get("timestamp")),
        raw={"comment": dict(c), "media_id": media_id},
    )


def _opt_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def parse_each(
    objects: Any, parse: Callable[[Mapping[str, Any]], InboundItem | None]
) -> tuple[list[InboundItem], list[Malformed]]:
    """Parse every object on its own: a bad one becomes Malformed and never stops the rest
    (``connectors.boundary``: whatever the problem)."""
    if not isinstance(objects, list):
        error = "field 'data' should be a list"
        return [], [seal_malformed(Malformed(external_id=None, error=error, raw={"data": objects}))]

    def one(obj: Any) -> InboundItem | None:
        if not isinstance(obj, Mapping):
            raise PayloadError("item is not an object")
        return parse(obj)

    return parse_all(objects, one, lambda obj: obj.get("id"))


def comments_page(
    payload: Mapping[str, Any], *, platform: str, channel: str, brand_id: str, container_id: str
) -> tuple[list[InboundItem], list[Malformed]]:
    """One ``{"data": [...], "paging": ...}`` page of comments, with Instagram's nested ``replies``
    flattened; items oldest first."""
    data = payload.get("data") or []
    if platform == "instagram" and isinstance(data, list):
        data = _with_replies(data)

    def parse(c: Mapping[str, Any]) -> InboundItem:
        if platform == "instagram":
            return ig_comment(c, channel=channel, ig_user_id=brand_id, media_id=container_id)
        return fb_comment(c, channel=channel, page_id=brand_id, post_id=container_id)

    items, bad = parse_each(data, parse)
    items.sort(key=lambda i: (i.created_at, i.external_id))
    return items, bad


def _with_replies(comments: list[Any]) -> list[Any]:
    out: list[Any] = []
    for c in comments:
        out.append(c)
        replies = c.get("replies") if isinstance(c, Mapping) else None
        data = replies.get("data") if isinstance(replies, Mapping) else None
        for r in data if isinstance(data, list) else []:
            out.append(
                {**r, "parent_id": c.get("id")} if isinstance(r, Mapping) and "parent_id" not in r else r
            )
    return out
