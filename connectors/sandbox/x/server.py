"""A loopback X API v2 sandbox (the subset the inbox uses, with X's contract); its state lives in memory only.

Tests: ``with XSandbox() as x:`` and point tweepy at ``x.url`` with ``connectors._http.Rebase``. Demo and
out-of-process tests: ``python -m connectors.sandbox.x.server`` (or ``inbox sandbox x``) and ``/_sandbox/``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from connectors.sandbox import _cli
from connectors.sandbox._control import as_time
from connectors.sandbox._replay import Replays
from connectors.sandbox._sample import SampleRow, load_sample
from connectors.sandbox._server import Fault, LoopbackServer, Reply, Request
from connectors.sandbox.x.access import DOCUMENTED_LIMITS, Denied, RateLimits, authenticate, require_user
from connectors.sandbox.x.api import ApiHandler, XApi
from connectors.sandbox.x.control import control_routes
from connectors.sandbox.x.params import Invalid
from connectors.sandbox.x.problems import PROBLEMS, invalid, problem
from connectors.sandbox.x.replay import Replayer
from connectors.sandbox.x.store import Tweet, XStore

FAULT_RESET_SECONDS = 5  # an injected 429 resets soon, so wait_on_rate_limit clients do not sleep long
FAULT_TITLES = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    403: "Forbidden",
}


def rate_limited(headers: dict[str, str]) -> Reply:
    reply = problem(429, "Too Many Requests", "Too Many Requests", PROBLEMS + "rate-limit-exceeded")
    reply.headers.update(headers)
    return reply


class XSandbox(LoopbackServer):
    """X API v2 on 127.0.0.1: mentions, DM events, search, lookups, posting tweets and DMs; a control API."""

    def __init__(
        self,
        brand_handle: str = "AcmeCare",
        brand_id: str = "1000000000000000001",
        *,
        bearer_token: str = "sandbox-bearer",
        consumer_key: str = "sandbox-consumer",
        rate_limits: Mapping[str, tuple[int, float]] | None = None,
        summoned_replies_only: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """``rate_limits`` maps an endpoint (``"GET /2/dm_events"`` or a short name such as ``"mentions"``,
        see ``x_access.ENDPOINTS``/``ALIASES``) to ``(calls, window seconds)``; others get 10,000 per
        15 minutes."""
        self.limits = RateLimits(rate_limits)  # first: a bad table must not leave a bound socket behind
        super().__init__(host, port)
        self.brand_handle, self.brand_id = brand_handle, brand_id
        self.bearer_token, self.consumer_key = bearer_token, consumer_key
        self.store = XStore(brand_handle, brand_id)
        self.replays = Replays()
        api = XApi(self.store, self.lock, summoned_replies_only=summoned_replies_only)
        self._endpoints: list[tuple[str, re.Pattern[str]]] = []
        for endpoint, pattern, handler, user_only in api.routes():
            self._endpoints.append((endpoint, re.compile(f"^{pattern}$")))
            self.route(endpoint.split()[0], pattern, self._gate(endpoint, handler, user_only))
        for method, pattern, control in control_routes(self):
            self.route(method, pattern, control)

    def _gate(self, endpoint: str, handler: ApiHandler, user_only: bool) -> Callable[[Request], Reply]:
        """Auth (401/403), then the caller's rate window (429), then the handler (400 on bad params)."""

        def serve(req: Request) -> Reply:
            try:
                caller = authenticate(
                    req.headers.get("authorization"),
                    bearer_token=self.bearer_token,
                    consumer_key=self.consumer_key,
                    brand_id=self.brand_id,
                )
                if user_only:
                    require_user(caller)
            except Denied as exc:
                return problem(exc.status, exc.title, exc.detail, exc.kind)
            allowed, headers = self.limits.spend(endpoint, caller.key)
            if not allowed:
                return rate_limited(headers)
            try:
                reply = handler(req, caller)
            except Invalid as exc:
                reply = invalid(exc)
            reply.headers = {**headers, **reply.headers}
            return reply

        return serve

    def fault_reply(self, fault: Fault, req: Request) -> Reply:
        """An injected failure in X's shape; a 429 says the window is spent and resets in a few seconds."""
        status = fault.status or 500
        endpoint = next(
            (e for e, p in self._endpoints if p.match(req.path) and e.startswith(req.method)), None
        )
        limit = self.limits.limits[endpoint][0] if endpoint else 0
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": "0" if status == 429 else str(limit),
            "x-rate-limit-reset": str(int(time.time()) + FAULT_RESET_SECONDS),
        }
        if status == 429:
            reply = rate_limited(headers)
        else:
            title = FAULT_TITLES.get(status, "Injected Fault")
            reply = problem(status, title, f"{title} (a fault injected in the sandbox)")
            reply.headers.update(headers)
        return reply

    def not_found(self, req: Request) -> Reply:
        return problem(404, "Not Found", f"Sorry, that page does not exist: {req.method} {req.path}")

    # --- Python control API (tests) --------------------------------------------------------------
    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str:
        """Create or update a user (by handle, case-insensitive); returns its id."""
        with self.lock:
            return self.store.user(handle, name=name, followers=followers).id

    def add_mention(
        self,
        text: str,
        author: str = "customer",
        in_reply_to: str | None = None,
        quote_of: str | None = None,
        retweet_of: str | None = None,
        created_at: datetime | str | None = None,
        lang: str = "en",
        media: tuple[str, ...] = (),
    ) -> str:
        """A tweet by ``author`` (a handle; the brand's own too) in the brand's mentions timeline; a reply
        takes its root's ``conversation_id``; ``media``: photo, video, animated_gif attached. Unknown
        authors are created. Returns the tweet id."""
        with self.lock:
            tweet = self.store.add_tweet(
                text,
                self.store.user(author),
                reply_to=in_reply_to,
                quote_of=quote_of,
                retweet_of=retweet_of,
                created_at=as_time(created_at),
                lang=lang,
                mentions=[self.brand_id],
            )
            tweet.media = tuple(media)
            return tweet.id

    def add_post(
        self, text: str, author: str = "customer", lang: str = "en", created_at: datetime | str | None = None
    ) -> str:
        """A public post that does not address the brand (found by recent search, not in mentions, unless
        its text @-mentions the brand). Returns the tweet id."""
        with self.lock:
            tweet = self.store.add_tweet(
                text, self.store.user(author), created_at=as_time(created_at), lang=lang
            )
            return tweet.id

    def edit_tweet(self, tweet_id: str, text: str, at: datetime | str | None = None) -> str:
        """The author edits a post (a new id, chained in ``edit_history_tweet_ids``). Returns the new id."""
        with self.lock:
            return self.store.edit_tweet(tweet_id, text, as_time(at)).id

    def stick_cursor(self, stuck: bool = True) -> None:
        """While ``stuck``, mentions, search and DM events hand back the token they were asked with (a cache
        serving the same older page again and again)."""
        with self.lock:
            self.store.stuck_cursor = stuck

    def misorder_dm(self, event_id: str | None) -> None:
        """Slip that (old) DM event into every DM events page of two or more, second (a faulty server's
        order); None: pages in order again."""
        with self.lock:
            self.store.stray_dm = event_id

    def cycle_cursor(self, length: int = 2) -> None:
        """Mentions, search and DM events name as next, after ``length`` pages from the newest, the first
        token of that walk again (A -> B -> A ...); 0 pages normally again."""
        with self.lock:
            self.store.cycler.set(length)

    def add_raw_mention(self, tweet: Mapping[str, Any], *, fill: bool = True) -> str:
        """An arbitrary, possibly malformed tweet object in the mentions timeline, sent verbatim. With
        ``fill``, a missing ``id``, ``created_at`` and ``edit_history_tweet_ids`` are added (never
        ``text`` or ``author_id``). Returns the object's ``id`` (or its place in the timeline if none)."""
        with self.lock:
            entry = self.store.add_raw(tweet, fill=fill, mention_of=self.brand_id)
            own = entry.raw.get("id") if entry.raw else None
            return own if isinstance(own, str) else entry.id

    def add_dm(
        self,
        text: str,
        sender: str = "customer",
        recipient: str | None = None,
        created_at: datetime | str | None = None,
        media: tuple[str, ...] = (),
    ) -> str:
        """A DM between a customer and the brand (handles; a brand DM needs ``recipient``), with ``media``
        attached. Returns the DM event id; the 1:1 conversation id is ``"{smaller id}-{larger id}"``."""
        with self.lock:
            brand = self.store.brand
            if sender.lower() == brand.username.lower():
                if recipient is None:
                    raise ValueError("a DM from the brand needs a recipient")
                pair = (brand, self.store.user(recipient))
            else:
                if recipient is not None and recipient.lower() != brand.username.lower():
                    raise ValueError("the brand must be one side of the DM")
                pair = (self.store.user(sender), brand)
            event = self.store.add_dm(text, *pair, created_at=as_time(created_at))
            event.media = tuple(media)
            return event.id

    def tweet(self, tweet_id: str) -> Tweet:
        with self.lock:
            return self.store.tweets[tweet_id]

    def user_id(self, handle: str) -> str | None:
        with self.lock:
            user = self.store.find_user(handle)
            return user.id if user else None

    @property
    def sent_tweets(self) -> list[dict[str, Any]]:
        """Posted through the API: ``id``, ``text``, ``in_reply_to``, ``quote_tweet_id``, ``conversation_id``,
        ``created_at``."""
        with self.lock:
            return [dict(t) for t in self.store.sent_tweets]

    @property
    def sent_dms(self) -> list[dict[str, Any]]:
        """Sent through the API: ``id``, ``text``, ``recipient_id``, ``recipient``, ``dm_conversation_id``,
        ``created_at``."""
        with self.lock:
            return [dict(d) for d in self.store.sent_dms]

    def state(self) -> dict[str, Any]:
        """Counts for ``GET /_sandbox/state``."""
        with self.lock:
            counts, calls = self.store.counts(), len(self.requests)
        return {
            "url": self.url,
            "brand": {"id": self.brand_id, "username": self.brand_handle},
            **counts,
            "requests": calls,
            "faults": self.faults(),
            "replay": self.replays.state(),
        }

    def replay(
        self, rows: Sequence[SampleRow] | None = None, *, backlog: int = 40, interval: float = 15.0
    ) -> Replayer:
        """Seed ``backlog`` customer items from the shipped sample (or ``rows``) over the past two hours,
        then release one every ``interval`` seconds until ``stop()`` (of the replayer or the sandbox)."""
        rows = load_sample() if rows is None else rows
        return self.replays.start(Replayer(self, rows, backlog=backlog, interval=interval))

    def stop(self) -> None:
        self.replays.stop()
        super().stop()


def main(argv: list[str] | None = None) -> int:
    """Serve the sandbox until SIGTERM or SIGINT, printing its URL first."""
    p = _cli.parser("x", "Loopback X API v2 sandbox.", port=8701, backlog=40, interval=15.0)
    p.add_argument("--brand", default="AcmeCare", help="the brand account's handle")
    p.add_argument("--brand-id", default="1000000000000000001", help="the brand account's user id")
    p.add_argument("--documented-limits", action="store_true", help="X's documented per-user rate limits")
    args = _cli.parse(p, argv)
    limits = {k: (n, float(w)) for k, (n, w) in DOCUMENTED_LIMITS.items()} if args.documented_limits else None
    sandbox = XSandbox(args.brand, args.brand_id, host=args.host, port=args.port, rate_limits=limits)
    return _cli.serve(sandbox, args, "X", args.brand)


if __name__ == "__main__":
    raise SystemExit(main())
