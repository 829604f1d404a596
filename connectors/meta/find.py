"""Finding, on Facebook or Instagram, a public reply an interrupted send may have posted. Reads only.

Graph has no idempotency key, so the outbox looks before it posts again. The look reads every reply to the
comment made within the attempt's window, never only "the latest N": newest first with ``since`` (Facebook
honours both; Instagram's ``replies`` edge ignores them, and every page of the comment's replies is read),
following the ``after`` cursor to the end. Private messages cannot be looked up by content on Graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import ConnectorError, Sent
from connectors.meta.graph import Graph

SKEW = timedelta(minutes=1)  # the platform's clock against ours
MAX_PAGES = 50  # 5,000 replies to one comment in the window: beyond that the look gives up


def find_reply(
    graph: Graph, edge_path: str, fields: str, brand_id: str, text: str, since: datetime | None
) -> Sent | None:
    """The brand's reply with exactly ``text`` among the replies at ``edge_path`` since ``since``."""
    params: dict[str, Any] = {"fields": fields, "limit": 100, "order": "reverse_chronological"}
    if since is not None:
        start = since.replace(tzinfo=since.tzinfo or UTC) - SKEW
        params["since"] = int(start.timestamp())
    for _ in range(MAX_PAGES):
        body = graph.get(edge_path, params)
        for reply in body.get("data") or []:
            if not isinstance(reply, Mapping):
                continue
            sender = reply.get("from") or {}
            said = reply.get("message") or reply.get("text")
            if isinstance(sender, Mapping) and sender.get("id") == brand_id and said == text:
                return Sent(external_id=str(reply["id"]))
        paging = body.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
        if not after:
            return None
        params = {**params, "after": after}
    raise ConnectorError(f"Graph: over {MAX_PAGES} pages of replies at {edge_path}; not looked to the end")
