"""A loopback Mastodon instance (the REST API subset the inbox uses, with Mastodon's contract); in memory.

Tests: ``with MastodonSandbox() as m:`` and point the connector at ``m.url`` with token ``m.token``.
Demo and out-of-process tests: ``inbox sandbox mastodon`` and the control API under ``/_sandbox/``; each start
there is a new world whose notification and conversation ids continue above any earlier world's
(``_ids.world_base``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.sandbox import _cli
from connectors.sandbox._control import as_time
from connectors.sandbox._ids import world_base
from connectors.sandbox._replay import Replays
from connectors.sandbox._sample import SampleRow
from connectors.sandbox._server import Fault, LoopbackServer, Reply, Request
from connectors.sandbox.mastodon.access import (
    STOCK_LIMITS,
    Denied,
    RateLimits,
    authenticate,
    reset_header,
)
from connectors.sandbox.mastodon.api import ApiHandler, MastodonApi, error
from connectors.sandbox.mastodon.control import control_routes
from connectors.sandbox.mastodon.render import render_instance
from connectors.sandbox.mastodon.replay import replayer
from connectors.sandbox.mastodon.store import Account, MastodonStore, Status
from connectors.sandbox.x.replay import Replayer

FAULT_RESET_SECONDS = 5  # an injected 429 resets soon
FAULT_ERRORS = {
    429: "Too many requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}
TOKEN = "sandbox-mastodon-token"


class MastodonSandbox(LoopbackServer):
    """Mastodon on 127.0.0.1: notifications, conversations, statuses, search; a control API."""

    def __init__(
        self,
        brand_handle: str = "AcmeCare",
        *,
        domain: str = "mastodon.sandbox",
        tokens: Mapping[str, Sequence[str]] | None = None,
        rate_limits: Mapping[str, tuple[int, float]] | None = None,
        max_characters: int = 500,
        id_base: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """``tokens`` maps a bearer token to its scopes (``read``, ``write``); default: ``TOKEN`` with both.
        ``rate_limits`` maps a family (``api``, ``statuses``) to (calls, window seconds). ``id_base``: added
        to where notification and conversation ids start (see ``MastodonStore``)."""
        self.limits = RateLimits(rate_limits)
        super().__init__(host, port)
        self.brand_handle = brand_handle
        self.tokens = {t: frozenset(s) for t, s in (tokens or {TOKEN: ("read", "write")}).items()}
        self.token = next(iter(self.tokens))
        self.store = MastodonStore(brand_handle, domain, id_base=id_base)
        self.max_characters = max_characters
        self.replays = Replays()
        api = MastodonApi(self.store, self.lock, max_characters=max_characters)
        for method, pattern, handler, scope, family in api.routes():
            self.route(method, pattern, self._gate(handler, scope, family))
        self.route("GET", "/api/v2/instance", lambda _: Reply(200, self._instance()))
        for method, pattern, control in control_routes(self):
            self.route(method, pattern, control)

    def _instance(self) -> dict[str, Any]:
        with self.lock:
            return render_instance(self.store, self.max_characters)

    def _gate(self, handler: ApiHandler, scope: str, family: str) -> Callable[[Request], Reply]:
        """Auth (401/403), then the token's rate window (429), then the handler."""

        def serve(req: Request) -> Reply:
            try:
                token = authenticate(req.headers.get("authorization"), self.tokens, scope)
            except Denied as exc:
                return error(exc.status, exc.error)
            allowed, headers = self.limits.spend(family, token)
            reply = handler(req) if allowed else error(429, "Too many requests")
            reply.headers = {**headers, **reply.headers}
            return reply

        return serve

    def fault_reply(self, fault: Fault, req: Request) -> Reply:
        """An injected failure in Mastodon's shape; a 429 says the window is spent and resets soon."""
        status = fault.status or 500
        reply = error(status, FAULT_ERRORS.get(status, f"injected fault {status}"))
        limit = STOCK_LIMITS["api"][0]
        reply.headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0" if status == 429 else str(limit),
            "X-RateLimit-Reset": reset_header(datetime.now(UTC).timestamp() + FAULT_RESET_SECONDS),
        }
        return reply

    def not_found(self, req: Request) -> Reply:
        return error(404, "Record not found")

    # --- Python control API (tests) --------------------------------------------------------------
    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str:
        """Create or update an account (``user`` local, ``user@domain`` remote); returns its id."""
        with self.lock:
            return self.store.account(handle, display_name=name, followers=followers).id

    def _status(
        self,
        text: str,
        author: str,
        *,
        visibility: str = "public",
        in_reply_to: str | None = None,
        created_at: datetime | str | None = None,
        language: str | None = "en",
        spoiler_text: str = "",
    ) -> Status:
        with self.lock:
            return self.store.add_status(
                self.store.account(author),
                text,
                visibility=visibility,
                in_reply_to=in_reply_to,
                created_at=as_time(created_at),
                language=language,
                spoiler_text=spoiler_text,
            )

    def add_mention(
        self,
        text: str,
        author: str = "customer",
        in_reply_to: str | None = None,
        *,
        created_at: datetime | str | None = None,
        language: str | None = "en",
        visibility: str = "public",
        spoiler_text: str = "",
    ) -> str:
        """A status by ``author`` that @mentions the brand (``@handle`` is added in front when the text
        does not name it). Returns the status id."""
        if f"@{self.brand_handle.lower()}" not in text.lower():
            text = f"@{self.brand_handle} {text}"
        return self._status(
            text,
            author,
            visibility=visibility,
            in_reply_to=in_reply_to,
            created_at=created_at,
            language=language,
            spoiler_text=spoiler_text,
        ).id

    def add_post(
        self,
        text: str,
        author: str = "customer",
        in_reply_to: str | None = None,
        *,
        created_at: datetime | str | None = None,
        language: str | None = "en",
        visibility: str = "public",
    ) -> str:
        """A status as written (the brand's own too): what search finds. Returns its id."""
        return self._status(
            text,
            author,
            visibility=visibility,
            in_reply_to=in_reply_to,
            created_at=created_at,
            language=language,
        ).id

    def add_dm(
        self,
        text: str,
        sender: str = "customer",
        recipient: str | None = None,
        *,
        in_reply_to: str | None = None,
        created_at: datetime | str | None = None,
        language: str | None = "en",
    ) -> str:
        """A direct status between a customer and the brand (``@recipient`` is added in front when the text
        does not name it; a DM from the brand needs ``recipient``). Returns the status id."""
        to = recipient or self.brand_handle
        if sender.lower() == self.brand_handle.lower() and recipient is None:
            raise ValueError("a DM from the brand needs a recipient")
        if f"@{to.lower()}" not in text.lower():
            text = f"@{to} {text}"
        status = self._status(
            text,
            sender,
            visibility="direct",
            in_reply_to=in_reply_to,
            created_at=created_at,
            language=language,
        )
        return status.id

    def add_raw_mention(self, notification_status: Mapping[str, Any], author: str = "customer") -> str:
        """A mention whose status is sent verbatim (possibly malformed). Returns the internal status id."""
        with self.lock:
            status = self.store.add_status(
                self.store.account(author), f"@{self.brand_handle} raw", raw=dict(notification_status)
            )
            return status.id

    def add_quote(
        self, text: str, quote_of: str, author: str = "customer", *, created_at: datetime | str | None = None
    ) -> str:
        """A public status by ``author`` quoting status ``quote_of`` (the brand is notified, ``quote``, when
        it is the brand's, even if the text does not mention it). Returns the status id."""
        with self.lock:
            status = self.store.add_status(
                self.store.account(author), text, created_at=as_time(created_at), quote_of=quote_of
            )
            return status.id

    def edit_status(self, status_id: str, text: str, at: datetime | str | None = None) -> None:
        """The customer edits their status (see ``MastodonStore.edit_status``); ``at`` defaults to now."""
        with self.lock:
            self.store.edit_status(status_id, text, as_time(at) or datetime.now(UTC))

    def delete_status(self, status_id: str) -> bool:
        """The customer deletes their status (see ``MastodonStore.delete_status``)."""
        with self.lock:
            return self.store.delete_status(status_id)

    def stick_cursor(self, stuck: bool = True) -> None:
        """While ``stuck``, notifications and conversations link "next" to the very page asked for (a cache
        or a buggy instance serving the same older page again and again)."""
        with self.lock:
            self.store.stuck_cursor = stuck

    def misorder(self, ident: str | None) -> None:
        """Slip that (old) notification into every notifications page of two or more, second, whatever
        ``since_id`` asks (a faulty server's order); None: pages in order again."""
        with self.lock:
            self.store.stray = ident

    def cycle_cursor(self, length: int = 2) -> None:
        """Notifications and conversations link "next", after ``length`` pages from the newest, to the first
        page of that walk again (A -> B -> A ...); 0 pages normally again."""
        with self.lock:
            self.store.cycler.set(length)

    def account(self, handle: str) -> Account:
        with self.lock:
            return self.store.account(handle)

    def status(self, status_id: str) -> Status:
        with self.lock:
            return self.store.statuses[status_id]

    @property
    def brand_id(self) -> str:
        return self.store.brand.id

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Statuses posted through the API: ``id``, ``text``, ``visibility``, ``in_reply_to_id``,
        ``mentions`` (accts), ``idempotency_key``, ``created_at``."""
        with self.lock:
            return [dict(s) for s in self.store.sent]

    def state(self) -> dict[str, Any]:
        with self.lock:
            counts, calls = self.store.counts(), len(self.requests)
        return {
            "url": self.url,
            "brand": {"id": self.brand_id, "acct": self.brand_handle},
            **counts,
            "requests": calls,
            "faults": self.faults(),
            "replay": self.replays.state(),
        }

    def replay(
        self, rows: Sequence[SampleRow] | None = None, *, backlog: int = 40, interval: float = 15.0
    ) -> Replayer:
        """Seed ``backlog`` customer items (English sample and French messages) over the past two hours,
        then release one every ``interval`` seconds until ``stop()``."""
        return self.replays.start(replayer(self, rows, backlog=backlog, interval=interval))

    def stop(self) -> None:
        self.replays.stop()
        super().stop()


def main(argv: list[str] | None = None) -> int:
    """Serve the sandbox until SIGTERM or SIGINT, printing its URL first."""
    p = _cli.parser("mastodon", "Loopback Mastodon sandbox.", port=8702, backlog=40, interval=15.0)
    p.add_argument("--brand", default="AcmeCare", help="the brand account's username")
    p.add_argument("--token", default=TOKEN, help="the bearer token the sandbox accepts (read, write)")
    p.add_argument("--stock-limits", action="store_true", help="Mastodon's stock rate limits")
    args = _cli.parse(p, argv)
    limits = STOCK_LIMITS if args.stock_limits else None
    tokens = {args.token: ("read", "write")}
    sandbox = MastodonSandbox(
        args.brand, tokens=tokens, rate_limits=limits, id_base=world_base(), host=args.host, port=args.port
    )
    return _cli.serve(sandbox, args, "Mastodon", args.brand)


if __name__ == "__main__":
    raise SystemExit(main())
