"""Polling comments on a Page's posts or an Instagram account's media, one Graph page per ``fetch``.

A round lists the newest ``watch`` posts (or media), then reads each one's comments page by page. The cursor
(opaque JSON) holds the round's queue, the ``after`` cursor inside the current post, and ``since``: the
newest comment time of the previous round, never later than now (a comment dated 2099 would otherwise
hide every later one). Comments older than ``since`` less ``LATE_MARGIN`` are left out (Facebook filters
them server-side with ``since=``; Instagram has no such filter, so they are dropped here). The margin reads
again the comments Graph lists late (a comment held for review, then approved; Graph's own lag): one
listed after a newer one was read is older than ``since`` and was never read. Comments read again are
stored once (ingestion is idempotent). Graph's refusal to read a post's comments (``Rejected``: the post
deleted since the round listed it) ends its post. A post whose comments Graph fails to list (a 5xx, an
answer that is not Graph's JSON, for that post alone), or whose ``after`` cursor leads back to a page
already read in that post (the one asked with, or a cycle A -> B -> A: ``connectors.paging``), is held apart
in the cursor (``"held"``) with the ``since`` of the round that met it, tried again at a later round after
1, 2, 4... minutes (an hour at most), and named in the page's ``Batch.trouble`` (the Channels page's last
error) meanwhile; the round goes on with the other posts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.base import BadPayload, Batch, Rejected, Unavailable
from connectors.meta.graph import Graph
from connectors.meta.parse import comments_page
from connectors.paging import CYCLING, loop_length, walked

LATE_MARGIN = 3600  # seconds before ``since`` still read: a comment Graph lists up to an hour late is stored
RETRY_BASE, RETRY_CAP = 60, 3600  # seconds before a held post is read again, doubling
HELD = "HeldPosts"  # the trouble's first word: the Channels page tells it in the admin's language


@dataclass(frozen=True, slots=True)
class CommentSource:
    platform: str  # facebook | instagram
    channel: str
    brand_id: str  # the Page id or the Instagram account id
    containers_path: str  # {page-id}/feed or {ig-user-id}/media
    container_fields: str
    comment_fields: str
    watch: int  # how many of the newest posts/media are watched
    page_size: int
    server_since: bool  # the comments edge accepts since= (Facebook)


def _containers(graph: Graph, src: CommentSource) -> list[str]:
    body = graph.get(src.containers_path, {"fields": src.container_fields, "limit": src.watch})
    data = body.get("data") or []
    return [str(c["id"]) for c in data if isinstance(c, dict) and c.get("id")][: src.watch]


def _comments(graph: Graph, src: CommentSource, container: str, since: int | None, after: str | None) -> Any:
    params: dict[str, Any] = {"fields": src.comment_fields, "limit": src.page_size}
    if src.platform == "facebook":
        params.update(filter="stream", order="reverse_chronological")
    if src.server_since and since is not None:
        params["since"] = since
    if after:
        params["after"] = after
    return graph.get(f"{container}/comments", params)


def _hold(held: dict[str, Any], post: str, since: int | None, error: Exception, now: int) -> None:
    """One more failure of ``post``: its first keeps the round's ``since``, each doubles the wait."""
    entry = {
        k: v for k, v in (held.get(post) or {"since": since, "tries": 0, "first": now}).items() if k != "read"
    }
    tries = int(entry["tries"]) + 1
    wait = min(RETRY_CAP, RETRY_BASE * 2 ** min(tries - 1, 20))
    held[post] = {**entry, "tries": tries, "retry_at": now + wait, "error": str(error)[:300]}


def trouble(held: dict[str, Any]) -> str | None:
    """What the admin reads while posts are held back."""
    if not held:
        return None
    parts = [f"post {p} ({h['tries']} tries): {h['error']}" for p, h in list(held.items())[:3]]
    firsts = [int(h["first"]) for h in held.values() if isinstance(h.get("first"), int)]
    since = f" since {datetime.fromtimestamp(min(firsts), UTC):%Y-%m-%dT%H:%M:%S}Z" if firsts else ""
    tries = max(int(h.get("tries") or 0) for h in held.values())
    head = f"{HELD}: {len(held)} post(s) whose comments Graph fails to list{since} ({tries} tries at most)"
    return head + ", the others are read: " + "; ".join(parts)


def _round(graph: Graph, src: CommentSource, held: dict[str, Any], now: int) -> list[str]:
    """A new round's queue: the watched posts not held, then the held ones due again."""
    due = [p for p, h in held.items() if int(h.get("retry_at") or 0) <= now]
    return [p for p in _containers(graph, src) if p not in held] + due


def fetch_comments(
    graph: Graph, src: CommentSource, cursor: str | None, clock: Callable[[], float] = time.time
) -> Batch:
    """One page of comments (or the post list, when a round starts) and the cursor after it."""
    state: dict[str, Any] = json.loads(cursor) if cursor else {}
    now = int(clock())
    since: int | None = state.get("since")
    if since is not None and since > now:  # set by a poison time before it was capped: read afresh
        state, since = {}, None
    held: dict[str, Any] = dict(state.get("held") or {})
    queue: list[str] = list(state.get("queue") or [])
    high = min(int(state.get("high") or since or 0), now)
    if not queue:
        queue = _round(graph, src, held, now)
        if not queue:
            rest = {"since": since} if since else {}
            return Batch([], json.dumps(rest | ({"held": held} if held else {})), trouble=trouble(held))
    post = queue[0]
    start = held[post].get("since") if post in held else since
    floor = None if start is None else start - LATE_MARGIN
    payload: Any
    try:
        payload = _comments(graph, src, post, floor, state.get("after"))
        if not isinstance(payload, dict):
            raise BadPayload(f"Graph answered {post}/comments with a {type(payload).__name__}")
    except Rejected:  # a post deleted since the round listed it (code 100/33): the others are still read
        payload = {}
    except (Unavailable, BadPayload) as exc:  # that post only: held apart, the round goes on
        _hold(held, post, start, exc, now)
        payload, state = {}, {**state, "after": None}
    else:
        if post in held and not state.get("after"):
            held[post]["read"] = True
    items, bad = comments_page(
        payload, platform=src.platform, channel=src.channel, brand_id=src.brand_id, container_id=post
    )
    items = [i for i in items if floor is None or i.created_at.timestamp() >= floor]
    high = max([high, *(min(int(i.created_at.timestamp()), now) for i in items)])
    paging = payload.get("paging") if isinstance(payload.get("paging"), dict) else {}
    after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
    if loop_length(state.get("trail"), state.get("after"), after):  # a page read already: held, read later
        _hold(
            held,
            post,
            start,
            Unavailable(f"{CYCLING}: its comments pages lead back to one already read"),
            now,
        )
        after = None
    nxt: dict[str, Any]
    if after:
        trail = walked(state.get("trail"), state.get("after"))
        nxt = {"since": since, "high": high, "queue": queue, "after": after, "trail": trail}
    else:
        if held.get(post, {}).get("read"):  # a held post read to its end: no longer held
            del held[post]
        queue = queue[1:]
        nxt = {"since": since, "high": high, "queue": queue} if queue else ({"since": high} if high else {})
    if held:
        nxt["held"] = held
    reads = len(payload.get("data") or [])
    more = "queue" in nxt
    return Batch(items, json.dumps(nxt), more, bad, reads, trouble=trouble(held))
