"""Pure parsing of Mastodon REST API JSON (notifications, conversations, search) into InboundItems. No I/O.

Every status is parsed on its own: a malformed one becomes a ``Malformed`` record (kept in quarantine by
the inbox) and never stops the rest of the page. The brand's own statuses come back with
``direction="out"``. Direct statuses are private items whose thread key names the participants, so a
customer's direct messages and ours join one conversation whatever Mastodon thread they were posted in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors import paging
from connectors._payload import PayloadError
from connectors._payload import iso_time as parse_time
from connectors._payload import object_field as _obj
from connectors._payload import text_field as _str
from connectors.base import Author, InboundItem, Kind, Malformed
from connectors.boundary import parse_all, seal_malformed
from connectors.mastodon.text import html_to_text

PUBLIC_VISIBILITIES = frozenset({"public", "unlisted"})
VISIBILITY_ORDER = ("public", "unlisted", "private", "direct")  # from the most to the least open


def id_key(ident: str) -> tuple[int, str]:
    """Mastodon ids are opaque strings that sort by length, then lexically (never convert them to int)."""
    return len(ident), ident


def newest_id(*ids: str | None) -> str | None:
    """The newest of some ids (None when there are none)."""
    present = [i for i in ids if i]
    return max(present, key=id_key) if present else None


def status_id(value: Any) -> str | None:
    """A Mastodon id as the server makes it (a snowflake: at most 19 ASCII digits, below 2**63), else None.
    Only such an id moves a cursor: one 40-digit id from a buggy server would sort past every later one."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        return value if int(value) < 2**63 else None
    return None


def is_newer(ident: str, than: str | None) -> bool:
    return than is None or id_key(ident) > id_key(than)


def reset_in(header: str | None, now: datetime) -> float | None:
    """Seconds until an ``X-RateLimit-Reset`` time (ISO 8601); None when absent or unreadable."""
    if not header:
        return None
    try:
        reset = datetime.fromisoformat(header.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if reset.tzinfo is None:
        reset = reset.replace(tzinfo=UTC)
    return max(0.0, (reset - now).total_seconds())


def link_params(url: str) -> dict[str, list[str]]:
    """The query parameters of a ``Link`` header URL (``max_id``, ``min_id``, ``types[]``, ...)."""
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def next_page(link: Any) -> dict[str, list[str]] | None:
    """The parameters of a ``Link`` "next" (``since_id`` left out: the cursor keeps its own), or None."""
    if not isinstance(link, Mapping) or not isinstance(link.get("url"), str):
        return None
    return {k: v for k, v in link_params(link["url"]).items() if k != "since_id"}


def page_loop(state: Mapping[str, Any], nxt: Mapping[str, Any] | None) -> int:
    """The length of the cycle a "next" link closes (``connectors.paging``): 1 when it is the page just asked
    for (a cache serving the same older page again), n when the sweep followed it n - 1 pages before; the
    sweep then starts again from the top, so newer items are still read. 0: go on."""
    asked = state.get("next")
    asked = {k: v for k, v in dict(asked).items() if k != "since_id"} if isinstance(asked, Mapping) else None
    return paging.loop_length(state.get("trail"), asked, dict(nxt) if nxt else None)


def author_of(account: Mapping[str, Any]) -> Author:
    """An Author from a Mastodon Account (``acct`` is ``user`` locally, ``user@domain`` for remote)."""
    followers = account.get("followers_count")
    name = account.get("display_name")
    return Author(
        platform_id=_str(account, "id") or "",
        handle=_str(account, "acct", required=False),
        display_name=name if isinstance(name, str) and name else None,
        followers=followers if isinstance(followers, int) and not isinstance(followers, bool) else None,
    )


def _mentions(status: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    mentions = status.get("mentions") or []
    if not isinstance(mentions, list) or not all(isinstance(m, Mapping) for m in mentions):
        raise PayloadError("field 'mentions' should be a list of objects")
    return mentions


def dm_thread_key(status: Mapping[str, Any], brand_id: str) -> str:
    """``dm:<ids>``: the participants other than the brand (author and mentioned accounts), sorted."""
    author = _str(_obj(status, "account"), "id") or ""
    people = {author} | {str(m.get("id")) for m in _mentions(status) if m.get("id") is not None}
    others = sorted(people - {brand_id}, key=id_key)
    return "dm:" + "-".join(others or [brand_id])


def status_text(status: Mapping[str, Any]) -> str:
    """The plain text of a status: its content warning, its text, and a line per media attachment."""
    content = _str(status, "content", required=False) or ""
    text = html_to_text(content, _mentions(status))
    spoiler = status.get("spoiler_text")
    if isinstance(spoiler, str) and spoiler.strip():
        text = f"[CW: {spoiler.strip()}]\n{text}"
    media = status.get("media_attachments") or []
    for attachment in media if isinstance(media, list) else []:
        if isinstance(attachment, Mapping):
            label = attachment.get("description") or attachment.get("url") or ""
            text += f"\n[{attachment.get('type') or 'media'}: {label}]"
    return text.strip()


def status_item(
    status: Mapping[str, Any], *, channel: str, brand_id: str, kind: Kind, raw: Mapping[str, Any]
) -> InboundItem:
    """One status as an item. Direct statuses are private DMs; others are public (thread key: the status
    it answers, or itself; the connector replaces it with the thread's root when it can)."""
    status_id = _str(status, "id") or ""
    visibility = _str(status, "visibility", required=False) or "public"
    account = _obj(status, "account")
    author = author_of(account)
    reply_to = _str(status, "in_reply_to_id", required=False)
    private = visibility == "direct"
    return InboundItem(
        channel=channel,
        external_id=status_id,
        thread_key=dm_thread_key(status, brand_id) if private else (reply_to or status_id),
        kind="dm" if private else kind,
        visibility="private" if private else "public",
        direction="out" if author.platform_id == brand_id else "in",
        author=author,
        text=status_text(status),
        created_at=parse_time(_str(status, "created_at") or ""),
        reply_to=reply_to,
        raw=dict(raw),
    )


def edit_of(status: Mapping[str, Any], channel: str, brand_id: str) -> InboundItem | None:
    """An edited status (``edited_at`` set) as its newest version: ``"<id>:edit:<edited_at>"`` naming the
    status in ``edits``, written at ``edited_at``; None when it was never edited or does not parse."""
    edited = status.get("edited_at")
    if not isinstance(edited, str) or not edited:
        return None
    try:
        item = status_item(status, channel=channel, brand_id=brand_id, kind="mention", raw=status)
        return replace(
            item,
            external_id=f"{item.external_id}:edit:{edited}",
            created_at=parse_time(edited),
            edits=(item.external_id,),
        )
    except PayloadError:
        return None


def _safely(
    objects: Any, parse: Callable[[Mapping[str, Any]], InboundItem | None]
) -> tuple[list[InboundItem], list[Malformed]]:
    """Parse each object on its own (``connectors.boundary``: any failure makes that object Malformed).
    Items come back oldest first."""
    if not isinstance(objects, list):
        error = f"the page should be a list, got {type(objects).__name__}"
        return [], [seal_malformed(Malformed(None, error, {"page": objects}))]

    def one(obj: Any) -> InboundItem | None:
        if not isinstance(obj, Mapping):
            raise PayloadError("item is not an object")
        return parse(obj)

    items, bad = parse_all(objects, one, _ident)
    items.sort(key=lambda i: (i.created_at, id_key(i.external_id)))
    return items, bad


def _ident(obj: Mapping[str, Any]) -> str | None:
    status = obj.get("status") or obj.get("last_status") or obj
    ident = status.get("id") if isinstance(status, Mapping) else None
    return str(ident) if ident is not None else None


NOTIFICATION_TYPES = ("mention", "quote")  # a server before 4.5 knows no quote and sends none


def notification_items(
    page: Any, *, channel: str, brand_id: str
) -> tuple[list[InboundItem], list[Malformed]]:
    """A ``GET /api/v1/notifications?types[]=mention&types[]=quote`` page (newest first) as items, oldest
    first. A quote of one of the brand's statuses (Mastodon 4.5) summons the brand as a mention does, even
    when its text does not name it."""

    def parse(n: Mapping[str, Any]) -> InboundItem | None:
        if n.get("type") not in NOTIFICATION_TYPES:
            return None
        status = _obj(n, "status")
        return status_item(status, channel=channel, brand_id=brand_id, kind="mention", raw=n)

    return _safely(page, parse)


def conversation_items(
    page: Any, *, channel: str, brand_id: str, seen: str | None
) -> tuple[list[InboundItem], list[Malformed]]:
    """A ``GET /api/v1/conversations`` page as the last status of each conversation newer than ``seen``."""

    def parse(conversation: Mapping[str, Any]) -> InboundItem | None:
        _str(conversation, "id")
        last = conversation.get("last_status")
        if last is None:
            return None  # every status of the conversation was deleted
        if not isinstance(last, Mapping):
            raise PayloadError("field 'last_status' should be an object")
        if not is_newer(_str(last, "id") or "", seen):
            return None
        item = status_item(last, channel=channel, brand_id=brand_id, kind="dm", raw=conversation)
        return item if item.visibility == "private" else None

    return _safely(page, parse)


def search_items(
    payload: Any, *, channel: str, brand_id: str, after: str | None
) -> tuple[list[InboundItem], list[Malformed], int]:
    """A ``GET /api/v2/search?type=statuses`` answer as listening items: public or unlisted statuses
    newer than ``after``, without the brand's own posts, boosts, and posts that @mention the brand (the
    ``mentions`` stream reads those as mentions). Also returns the statuses read."""
    statuses = payload.get("statuses") if isinstance(payload, Mapping) else None

    def parse(status: Mapping[str, Any]) -> InboundItem | None:
        status_id = _str(status, "id") or ""
        if not is_newer(status_id, after) or status.get("reblog"):
            return None
        if (status.get("visibility") or "public") not in PUBLIC_VISIBILITIES:
            return None
        if _str(_obj(status, "account"), "id") == brand_id:
            return None
        if any(m.get("id") == brand_id for m in _mentions(status)):
            return None
        return status_item(status, channel=channel, brand_id=brand_id, kind="listening", raw=status)

    items, bad = _safely(statuses, parse)
    return items, bad, len(statuses) if isinstance(statuses, list) else 0


def stricter(a: str, b: str) -> str:
    """The less open of two visibilities (a reply never opens up what it answers)."""
    rank = {v: i for i, v in enumerate(VISIBILITY_ORDER)}
    return max(a, b, key=lambda v: rank.get(v, len(VISIBILITY_ORDER)))


def _same_text(posted: str, intended: str) -> bool:
    """The text we meant to send, possibly after the ``@acct`` the connector put in front."""
    norm_posted, norm_intended = " ".join(posted.split()), " ".join(intended.split())
    if norm_posted == norm_intended:
        return True
    head, _, rest = norm_posted.partition(" ")
    return head.startswith("@") and rest == norm_intended


def delivered(
    status: Any,
    visibility: str,
    in_reply_to: str | None,
    recipient_id: str | None,
    text: str,
    after: datetime | None,
) -> str | None:
    """The id of ``status`` if it is the reply described (target, text, posted after ``after``)."""
    if not isinstance(status, Mapping) or not isinstance(status.get("id"), str):
        return None
    try:
        if after is not None and parse_time(str(status.get("created_at"))) < after:
            return None
        if (status.get("visibility") == "direct") != (visibility == "private"):
            return None
        if visibility == "private":
            target = any(m.get("id") == recipient_id for m in _mentions(status))
        else:
            target = status.get("in_reply_to_id") == in_reply_to
        posted = html_to_text(str(status.get("content") or ""), _mentions(status))
    except PayloadError:
        return None
    return str(status["id"]) if target and _same_text(posted, text) else None


def ids_of(page: Sequence[Any], key: Callable[[Mapping[str, Any]], Any]) -> list[str]:
    """The string ids that ``key`` finds in the objects of a page, ignoring anything malformed."""
    out = []
    for obj in page:
        value = key(obj) if isinstance(obj, Mapping) else None
        if isinstance(value, str):
            out.append(value)
    return out


def created_before(status: Mapping[str, Any], start: datetime) -> bool:
    """The status was created before ``start`` (or its time cannot be read: stop there)."""
    try:
        return parse_time(str(status.get("created_at"))) < start
    except PayloadError:
        return True


def at_or_before(obj: Any, bound: str | None) -> bool:
    """A notification at or before ``bound`` (already read); the server should not send one."""
    ident = obj.get("id") if isinstance(obj, Mapping) else None
    return bound is not None and isinstance(ident, str) and not is_newer(ident, bound)
