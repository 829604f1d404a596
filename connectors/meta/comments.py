"""Polling comments on a Page's posts or an Instagram account's media, one Graph page per ``fetch``.

A round lists the newest ``watch`` posts (or media), then reads each one's comments page by page. The cursor
(opaque JSON) holds the round's queue, the ``after`` cursor inside the current post, and ``since``: the
newest comment time of the previous round, never later than now (a comment dated 2099 would otherwise
hide every later one). Comments older than ``since`` less ``LATE_MARGIN`` are left out (Facebook filters
them server-side with ``since=``; Instagram has no such filter, so they are dropped here). The margin reads
again the comments Graph lists late (a comment held for review, then approved; Graph's own lag): one
listed after a newer one was read is older than ``since`` and was never read. Comments read again are
stored once (ingestion is idempotent). A page whose ``after`` cursor is the one it was asked with ends its
post, and so does Graph's refusal to read a post's comments (``Rejected``: the post deleted since the round
listed it): either used to hold the stream on that post for good, the other posts' comments never read.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from connectors.base import Batch, Rejected
from connectors.meta.graph import Graph
from connectors.meta.parse import comments_page

LATE_MARGIN = 3600  # seconds before ``since`` still read: a comment Graph lists up to an hour late is stored


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


def fetch_comments(graph: Graph, src: CommentSource, cursor: str | None) -> Batch:
    """One page of comments (or the post list, when a round starts) and the cursor after it."""
    state: dict[str, Any] = json.loads(cursor) if cursor else {}
    now = int(time.time())
    since: int | None = state.get("since")
    if since is not None and since > now:  # set by a poison time before it was capped: read afresh
        state, since = {}, None
    queue: list[str] = list(state.get("queue") or [])
    high = min(int(state.get("high") or since or 0), now)
    if not queue:
        queue = _containers(graph, src)
        if not queue:
            return Batch(items=[], next_cursor=json.dumps({"since": since} if since else {}))
    floor = None if since is None else since - LATE_MARGIN
    try:
        payload = _comments(graph, src, queue[0], floor, state.get("after"))
    except Rejected:  # a post deleted since the round listed it (code 100/33): the others are still read
        payload = {}
    items, bad = comments_page(
        payload, platform=src.platform, channel=src.channel, brand_id=src.brand_id, container_id=queue[0]
    )
    items = [i for i in items if floor is None or i.created_at.timestamp() >= floor]
    high = max([high, *(min(int(i.created_at.timestamp()), now) for i in items)])
    paging = payload.get("paging") if isinstance(payload.get("paging"), dict) else {}
    after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
    if after == state.get("after"):  # a page naming itself as next (a gateway's cache): the post is done
        after = None
    nxt: dict[str, Any]
    if after:
        nxt = {"since": since, "high": high, "queue": queue, "after": after}
    else:
        queue = queue[1:]
        nxt = {"since": since, "high": high, "queue": queue} if queue else ({"since": high} if high else {})
    reads = len(payload.get("data") or [])
    return Batch(items=items, next_cursor=json.dumps(nxt), more="queue" in nxt, malformed=bad, reads=reads)
