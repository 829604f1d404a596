"""The thread of each public Mastodon status: its first status, from ``/context`` once per unknown parent.

A parent whose context the instance cannot give for now (a 5xx, an answer that is not JSON) fails the page,
which is read again with back-off; after ``LOOKUP_TRIES`` such failures for the same parent, the reply is
threaded under its parent instead, so that one parent never holds the stream (its other mentions unread).
A parent deleted or not visible (a refusal) is the thread as far as we can see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from connectors.base import BadPayload, InboundItem, Rejected, Unavailable
from connectors.mastodon.api import MastodonHttp
from connectors.mastodon.parse import id_key, ids_of

ROOT_CACHE = 5000
LOOKUP_TRIES = 3  # failed context lookups of one parent before its replies are threaded under it


class Roots:
    """Status id -> id of its thread's first status, a bounded cache filled from ``/context``."""

    def __init__(self, http: MastodonHttp) -> None:
        self.http = http
        self._roots: dict[str, str] = {}
        self._failures: dict[str, int] = {}  # parent -> failed lookups in a row

    def threaded(self, items: Sequence[InboundItem]) -> list[InboundItem]:
        """Public items keyed by their thread's first status."""
        out = []
        for item in items:
            if item.visibility == "public":
                root = self.root_of(item.reply_to) if item.reply_to else item.external_id
                self.remember(item.external_id, root)
                item = replace(item, thread_key=root)
            out.append(item)
        return out

    def root_of(self, parent: str) -> str:
        if parent in self._roots:
            return self._roots[parent]
        try:
            context: Any = self.http.call("GET", f"/api/v1/statuses/{parent}/context").body
        except Rejected:  # deleted or not visible to us: the parent is as far as we can see
            return parent
        except (Unavailable, BadPayload):
            tries = self._failures.pop(parent, 0) + 1
            if tries < LOOKUP_TRIES:
                self._failures[parent] = tries
                raise
            return parent  # given up on for now: under its parent, the stream goes on
        self._failures.pop(parent, None)
        ancestors = context.get("ancestors") if isinstance(context, dict) else None
        ids = ids_of(ancestors if isinstance(ancestors, list) else [], lambda s: s.get("id"))
        root = min(ids, key=id_key) if ids else parent
        for ident in [*ids, parent]:
            self.remember(ident, root)
        return root

    def remember(self, status_id: str, root: str) -> None:
        if len(self._roots) >= ROOT_CACHE:
            self._roots.pop(next(iter(self._roots)))
        if len(self._failures) >= ROOT_CACHE:
            self._failures.pop(next(iter(self._failures)))
        self._roots[status_id] = root
