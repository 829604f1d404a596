"""The Mastodon REST API subset the inbox uses, with Mastodon's contract. Handlers hold the sandbox lock.

Lists page like Mastodon (``max_id``, ``since_id``, ``min_id``, ``limit``) and answer a ``Link`` header
with ``rel="next"`` (older) and ``rel="prev"`` (newer). Errors are ``{"error": "..."}``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode

from connectors.mastodon.parse import id_key
from connectors.mastodon.text import mastodon_length
from connectors.sandbox._server import Reply, Request
from connectors.sandbox.mastodon.render import (
    render_account,
    render_conversation,
    render_notification,
    render_status,
)
from connectors.sandbox.mastodon.search import search_statuses
from connectors.sandbox.mastodon.store import MastodonStore, Status

T = TypeVar("T")
ApiHandler = Callable[[Request], Reply]
VISIBILITIES = ("public", "unlisted", "private", "direct")
NOT_FOUND = "Record not found"


def error(status: int, message: str) -> Reply:
    return Reply(status, {"error": message})


def limit_param(req: Request, default: int, maximum: int) -> int:
    """Mastodon's ``limit_param``: the default when absent, clamped to 1..maximum."""
    raw = req.arg("limit")
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = default
    return max(1, min(value, maximum))


def paginate(items: Sequence[T], key: Callable[[T], str], req: Request, limit: int) -> list[T]:
    """``to_a_paginated_by_id``: items newest first between ``max_id``, ``since_id`` and ``min_id``;
    with ``min_id`` the page is the one just above it, else the newest one."""
    max_id, since_id, min_id = req.arg("max_id"), req.arg("since_id"), req.arg("min_id")
    kept = [
        i
        for i in sorted(items, key=lambda i: id_key(key(i)), reverse=True)
        if (not max_id or id_key(key(i)) < id_key(max_id))
        and (not since_id or id_key(key(i)) > id_key(since_id))
        and (not min_id or id_key(key(i)) > id_key(min_id))
    ]
    return kept[-limit:] if min_id else kept[:limit]


def link_header(req: Request, keep: Sequence[str], older: str | None, newer: str | None) -> dict[str, str]:
    """``Link: <…?max_id=…>; rel="next", <…?min_id=…>; rel="prev"`` on the request's own host."""
    base = f"http://{req.headers.get('host', '127.0.0.1')}{req.path}"
    kept = [(k, v) for k in keep for v in req.query.get(k, [])]
    links = []
    if older:
        links.append(f'<{base}?{urlencode([*kept, ("max_id", older)])}>; rel="next"')
    if newer:
        links.append(f'<{base}?{urlencode([*kept, ("min_id", newer)])}>; rel="prev"')
    return {"Link": ", ".join(links)} if links else {}


def form(req: Request) -> dict[str, Any]:
    """A POST body as Mastodon reads it: JSON, or a form (``key[]`` lists kept as lists)."""
    if "json" in req.headers.get("content-type", ""):
        body = req.json()
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return body
    pairs = parse_qs(req.body.decode(), keep_blank_values=True)
    return {k: v if k.endswith("[]") else v[0] for k, v in pairs.items()}


class MastodonApi:
    """Handlers over a store; ``caller`` is always the brand (the sandbox's one user)."""

    def __init__(self, store: MastodonStore, lock: threading.RLock, *, max_characters: int = 500) -> None:
        self.store, self.lock, self.max_characters = store, lock, max_characters

    def routes(self) -> list[tuple[str, str, ApiHandler, str, str]]:
        """``(method, pattern, handler, scope, rate family)``."""
        return [
            ("GET", "/api/v1/accounts/verify_credentials", self.verify_credentials, "read", "api"),
            ("GET", r"/api/v1/accounts/(?P<id>\d+)", self.account, "read", "api"),
            ("GET", r"/api/v1/accounts/(?P<id>\d+)/statuses", self.account_statuses, "read", "api"),
            ("GET", "/api/v1/notifications", self.notifications, "read", "api"),
            ("GET", "/api/v1/conversations", self.conversations, "read", "api"),
            ("GET", r"/api/v1/statuses/(?P<id>\d+)", self.status, "read", "api"),
            ("GET", r"/api/v1/statuses/(?P<id>\d+)/context", self.context, "read", "api"),
            ("POST", "/api/v1/statuses", self.create_status, "write", "statuses"),
            ("GET", "/api/v2/search", self.search, "read", "api"),
        ]

    def verify_credentials(self, req: Request) -> Reply:
        with self.lock:
            body = render_account(self.store, self.store.brand)
            body["source"] = {"privacy": "public", "sensitive": False, "language": "en", "note": ""}
            return Reply(200, body)

    def account(self, req: Request) -> Reply:
        with self.lock:
            account = self.store.accounts.get(req.params["id"])
            return Reply(200, render_account(self.store, account)) if account else error(404, NOT_FOUND)

    def account_statuses(self, req: Request) -> Reply:
        """An account's statuses, newest first: all of them for their author, else the public ones."""
        limit = limit_param(req, 20, 40)
        no_replies = (req.arg("exclude_replies") or "").lower() == "true"
        with self.lock:
            if req.params["id"] not in self.store.accounts:
                return error(404, NOT_FOUND)
            own = req.params["id"] == self.store.brand.id
            pool = [
                s
                for s in self.store.statuses.values()
                if s.account_id == req.params["id"]
                and (own or s.visibility in ("public", "unlisted"))
                and not (no_replies and s.in_reply_to_id)
            ]
            page = paginate(pool, lambda s: s.id, req, limit)
            body = [render_status(self.store, s) for s in page]
        keep = ("limit", "exclude_replies", "exclude_reblogs", "only_media", "pinned", "tagged")
        first, last = (page[0].id, page[-1].id) if page else (None, None)
        return Reply(200, body, link_header(req, keep, last, first))

    def notifications(self, req: Request) -> Reply:
        types = set(req.query.get("types[]", []))
        excluded = set(req.query.get("exclude_types[]", []))
        with_filtered = (req.arg("include_filtered") or "").lower() == "true"
        with self.lock:
            pool = [
                n
                for n in self.store.notifications
                if (not types or n.type in types)
                and n.type not in excluded
                and (with_filtered or not n.filtered)
            ]
            page = paginate(pool, lambda n: n.id, req, limit_param(req, 40, 80))
            body = [render_notification(self.store, n) for n in page]
            stray = next((n for n in self.store.notifications if n.id == self.store.stray), None)
            if stray is not None and len(body) > 1:  # an old one among newer ones (a faulty server)
                body.insert(1, render_notification(self.store, stray))
        keep = ("limit", "types[]", "exclude_types[]", "account_id", "include_filtered")
        first, last = (page[0].id, page[-1].id) if page else (None, None)
        return Reply(200, body, link_header(req, keep, self._older(req, last), first))

    def conversations(self, req: Request) -> Reply:
        limit = limit_param(req, 20, 40)
        with self.lock:
            page = paginate(list(self.store.conversations.values()), lambda c: c.last_status_id, req, limit)
            body = [render_conversation(self.store, c) for c in page]
        older = page[-1].last_status_id if len(page) == limit else None  # records_continue?
        newer = page[0].last_status_id if page else None
        return Reply(200, body, link_header(req, ("limit",), self._older(req, older), newer))

    def _older(self, req: Request, older: str | None) -> str | None:
        """The ``max_id`` of the next page; the one asked for while the store's cursor is stuck, or one
        followed before while its pages cycle (``cycle_cursor``)."""
        if self.store.stuck_cursor and older:
            return req.arg("max_id") or older
        return self.store.cycler.next(req.arg("max_id"), older, req.path)

    def status(self, req: Request) -> Reply:
        with self.lock:
            status = self.store.statuses.get(req.params["id"])
            return Reply(200, render_status(self.store, status)) if status else error(404, NOT_FOUND)

    def context(self, req: Request) -> Reply:
        with self.lock:
            if req.params["id"] not in self.store.statuses:
                return error(404, NOT_FOUND)
            ancestors, descendants = self.store.thread(req.params["id"])
            return Reply(
                200,
                {
                    "ancestors": [render_status(self.store, s) for s in ancestors],
                    "descendants": [render_status(self.store, s) for s in descendants],
                },
            )

    def search(self, req: Request) -> Reply:
        query = (req.arg("q") or "").strip()
        if not query:
            return error(400, "Validation failed: q is missing")
        limit = limit_param(req, 20, 40)
        try:
            offset = max(0, int(req.arg("offset") or 0))
        except ValueError:
            return error(400, "offset must be an integer")
        statuses: list[dict[str, Any]] = []
        if req.arg("type") in (None, "statuses"):
            with self.lock:
                found = search_statuses(self.store, query, req.arg("min_id"), req.arg("max_id"))
                statuses = [render_status(self.store, s) for s in found[offset : offset + limit]]
        return Reply(200, {"accounts": [], "statuses": statuses, "hashtags": []})

    def create_status(self, req: Request) -> Reply:
        try:
            params = form(req)
        except ValueError as exc:
            return error(400, str(exc))
        key = req.headers.get("idempotency-key")
        now = datetime.now(UTC)
        with self.lock:
            brand = self.store.brand
            earlier = self.store.remembered(brand.id, key, now) if key else None
            if earlier is not None:
                return Reply(200, render_status(self.store, earlier))
            refusal = self._refusal(params)
            if refusal is not None:
                return refusal
            status = self.store.add_status(
                brand,
                str(params["status"]),
                visibility=str(params.get("visibility") or "public"),
                in_reply_to=params.get("in_reply_to_id") or None,
                created_at=now,
                spoiler_text=str(params.get("spoiler_text") or ""),
                language=params.get("language") or "en",
            )
            if key:
                self.store.remember(brand.id, key, status, now)
            self.store.sent.append(self._sent(status, key))
            return Reply(200, render_status(self.store, status))

    def _refusal(self, params: dict[str, Any]) -> Reply | None:
        text, visibility = str(params.get("status") or ""), params.get("visibility") or "public"
        if not text.strip():
            return error(422, "Validation failed: Text can't be blank")
        if visibility not in VISIBILITIES:
            return error(422, f"'{visibility}' is not a valid visibility")
        if mastodon_length(text, str(params.get("spoiler_text") or "")) > self.max_characters:
            return error(422, f"Validation failed: Text character limit of {self.max_characters} exceeded")
        reply_to = params.get("in_reply_to_id")
        if reply_to and reply_to not in self.store.statuses:
            return error(404, "The post you are trying to reply to does not appear to exist.")
        return None

    def _sent(self, status: Status, key: str | None) -> dict[str, Any]:
        return {
            "id": status.id,
            "text": status.text,
            "visibility": status.visibility,
            "in_reply_to_id": status.in_reply_to_id,
            "mentions": [self.store.accounts[i].acct for i in status.mentions],
            "idempotency_key": key,
            "created_at": status.created_at.isoformat(),
        }
