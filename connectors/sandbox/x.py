"""The X sandbox: a loopback server speaking the X API v2 subset the inbox uses, with X's real contract.

JSON shapes (``data``/``includes``/``meta``), numeric string ids, ``next_token`` paging, ``since_id``,
rate-limit headers and 429s, problem-details errors, OAuth 1.0a user context vs app-only bearer.
Tests drive it through the Python API; the demo through ``/_sandbox/`` endpoints (see x_control.py).
"""

from __future__ import annotations

import base64
import re
import time
from datetime import datetime
from typing import Any

from connectors.sandbox._server import Fault, LoopbackServer, Reply, Request
from connectors.sandbox.x_control import register_control
from connectors.sandbox.x_data import XState, problem

OAUTH_PARAM = re.compile(r'(\w+)="([^"]*)"')
DEFAULT_LIMITS = {
    "mentions": (450, 900),
    "search": (450, 900),
    "dm_events": (300, 900),
    "users_me": (75, 900),
    "create_tweet": (200, 900),
    "create_dm": (200, 900),
    "user_tweets": (900, 900),
}


def _token(before_id: int) -> str:
    return base64.urlsafe_b64encode(f"before:{before_id}".encode()).decode()


def _untoken(token: str) -> int | None:
    try:
        kind, _, value = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        return int(value) if kind == "before" else None
    except (ValueError, UnicodeDecodeError):
        return None


class XSandbox(LoopbackServer):
    """Loopback X API v2 for one brand account. See the module docstring."""

    def __init__(
        self,
        brand_handle: str = "AcmeCare",
        brand_id: str = "1000000000000000001",
        *,
        bearer_token: str = "sandbox-bearer",
        consumer_key: str = "sandbox-consumer",
        rate_limits: dict[str, tuple[int, int]] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.state = XState(brand_handle, brand_id)
        self.brand_handle, self.brand_id = brand_handle, brand_id
        self.bearer_token, self.consumer_key = bearer_token, consumer_key
        self.limits = {**DEFAULT_LIMITS, **(rate_limits or {})}
        self._windows: dict[str, tuple[float, int]] = {}
        r = self.route
        r("GET", r"/2/users/me", self._guard("users_me", self._me, user=True))
        r("GET", r"/2/users/(?P<uid>\d+)/mentions", self._guard("mentions", self._mentions))
        r("GET", r"/2/users/(?P<uid>\d+)/tweets", self._guard("user_tweets", self._user_tweets))
        r("GET", r"/2/tweets/search/recent", self._guard("search", self._search))
        r("GET", r"/2/dm_events", self._guard("dm_events", self._dm_events, user=True))
        r("POST", r"/2/tweets", self._guard("create_tweet", self._create_tweet, user=True))
        r(
            "POST",
            r"/2/dm_conversations/with/(?P<pid>\d+)/messages",
            self._guard("create_dm", self._create_dm, user=True),
        )
        register_control(self)

    # -- Python control API for tests -------------------------------------------------------------
    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str:
        return self.state.add_user(handle, name, followers)

    def add_mention(
        self,
        text: str,
        author: str = "customer",
        *,
        in_reply_to: str | None = None,
        quote_of: str | None = None,
        retweet_of: str | None = None,
        created_at: datetime | None = None,
    ) -> str:
        return self.state.add_tweet(
            text,
            author,
            in_reply_to=in_reply_to,
            quote_of=quote_of,
            retweet_of=retweet_of,
            created_at=created_at,
        )

    def add_raw_mention(self, tweet: dict[str, Any]) -> str:
        """Put an arbitrary (possibly malformed) tweet object in the mentions timeline; returns its id."""
        return self.state.add_raw(tweet)

    def add_dm(
        self,
        text: str,
        sender: str = "customer",
        *,
        recipient: str | None = None,
        created_at: datetime | None = None,
    ) -> str:
        return self.state.add_dm(text, sender, recipient=recipient, created_at=created_at)

    @property
    def sent_tweets(self) -> list[dict[str, Any]]:
        return list(self.state.sent_tweets)

    @property
    def sent_dms(self) -> list[dict[str, Any]]:
        return list(self.state.sent_dms)

    # -- plumbing ---------------------------------------------------------------------------------
    def fault_reply(self, fault: Fault) -> Reply:
        status = fault.status or 500
        headers = dict(fault.headers)
        if status == 429:
            headers.setdefault("x-rate-limit-limit", "450")
            headers.setdefault("x-rate-limit-remaining", "0")
            headers.setdefault("x-rate-limit-reset", str(int(time.time()) + 60))
        body = fault.body if fault.body is not None else problem(status)
        return Reply(status, body, headers, "application/problem+json")

    def not_found(self, req: Request) -> Reply:
        return Reply(
            404, problem(404, f"no route for {req.method} {req.path}"), {}, "application/problem+json"
        )

    def _auth(self, req: Request) -> str | None:
        """'user', 'app', or None when the credentials are missing or wrong."""
        header = req.headers.get("authorization", "")
        if header.startswith("Bearer "):
            return "app" if header[7:] == self.bearer_token else None
        if header.startswith("OAuth "):
            params = dict(OAUTH_PARAM.findall(header))
            token = params.get("oauth_token", "")
            ok = params.get("oauth_consumer_key") == self.consumer_key and token.startswith(
                f"{self.brand_id}-"
            )
            return "user" if ok and params.get("oauth_signature") else None
        return None

    def _rate(self, key: str) -> tuple[dict[str, str], bool]:
        limit, window = self.limits[key]
        now = time.time()
        with self.lock:
            start, used = self._windows.get(key, (now, 0))
            if now - start >= window:
                start, used = now, 0
            spent = used >= limit
            used = used if spent else used + 1
            self._windows[key] = (start, used)
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(0, limit - used)),
            "x-rate-limit-reset": str(int(start + window)),
        }
        return headers, spent

    def _guard(self, key: str, handler: Any, *, user: bool = False) -> Any:
        def guarded(req: Request) -> Reply:
            kind = self._auth(req)
            if kind is None:
                return Reply(401, problem(401), {}, "application/problem+json")
            if user and kind != "user":
                detail = "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint."
                return Reply(
                    403,
                    problem(403, detail, kind="unsupported-authentication"),
                    {},
                    "application/problem+json",
                )
            headers, spent = self._rate(key)
            if spent:
                return Reply(429, problem(429), headers, "application/problem+json")
            reply: Reply = handler(req)
            reply.headers = {**headers, **reply.headers}
            return reply

        return guarded

    # -- endpoints --------------------------------------------------------------------------------
    def _me(self, req: Request) -> Reply:
        return Reply(200, {"data": self.state.user_object(self.brand_id, req)})

    def _page(self, req: Request, items: list[dict[str, Any]], lo: int, hi: int, token_param: str) -> Reply:
        size = req.arg("max_results")
        try:
            max_results = int(size) if size is not None else 10
        except ValueError:
            return Reply(400, problem(400, f"max_results is not a number: {size!r}", kind="invalid-request"))
        if not lo <= max_results <= hi:
            detail = f"The `max_results` query parameter value [{max_results}] is not between {lo} and {hi}"
            return Reply(400, problem(400, detail, kind="invalid-request"), {}, "application/problem+json")
        since = int(req.arg("since_id") or 0)
        until = int(req.arg("until_id") or 0)
        start_time = req.arg("start_time")
        before = _untoken(req.arg(token_param) or "") if req.arg(token_param) else None
        chosen = [
            t
            for t in items
            if int(t["id"]) > since
            and (not until or int(t["id"]) < until)
            and (before is None or int(t["id"]) < before)
            and (not start_time or t.get("created_at", "") >= start_time.replace("+00:00", "Z"))
        ]
        chosen.sort(key=lambda t: int(t["id"]), reverse=True)
        page, rest = chosen[:max_results], chosen[max_results:]
        return self.state.timeline(page, rest, req, lambda last: _token(last))

    def _mentions(self, req: Request) -> Reply:
        return self._page(req, self.state.mentions_of(req.params["uid"]), 5, 100, "pagination_token")

    def _user_tweets(self, req: Request) -> Reply:
        return self._page(req, self.state.tweets_by(req.params["uid"]), 5, 100, "pagination_token")

    def _search(self, req: Request) -> Reply:
        query = req.arg("query") or ""
        if not query.strip() or len(query) > 512:
            return Reply(400, problem(400, "query must be 1 to 512 characters", kind="invalid-request"))
        return self._page(req, self.state.search(query), 10, 100, "next_token")

    def _dm_events(self, req: Request) -> Reply:
        token = req.arg("pagination_token")
        if token is not None and len(token) < 16:
            return Reply(
                400, problem(400, "pagination_token must be at least 16 characters", kind="invalid-request")
            )
        return self.state.dm_page(req, _untoken(token) if token else None, _token)

    def _create_tweet(self, req: Request) -> Reply:
        body = req.json() or {}
        text = body.get("text")
        if not isinstance(text, str) or not text:
            return Reply(400, problem(400, "text is required", kind="invalid-request"))
        reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if reply_to is not None and not self.state.has_tweet(str(reply_to)):
            return Reply(
                400, problem(400, f"in_reply_to_tweet_id {reply_to} not found", kind="invalid-request")
            )
        if self.state.is_duplicate(text):
            detail = "You are not allowed to create a Tweet with duplicate content."
            return Reply(403, problem(403, detail), {}, "application/problem+json")
        tid = self.state.post_brand_tweet(text, str(reply_to) if reply_to else None)
        return Reply(201, {"data": {"id": tid, "text": text, "edit_history_tweet_ids": [tid]}})

    def _create_dm(self, req: Request) -> Reply:
        body = req.json() or {}
        text = body.get("text")
        if not isinstance(text, str) or not text or len(text) > 10_000:
            return Reply(
                400, problem(400, "text is required (at most 10,000 characters)", kind="invalid-request")
            )
        event_id, conversation = self.state.post_brand_dm(text, req.params["pid"])
        return Reply(201, {"data": {"dm_conversation_id": conversation, "dm_event_id": event_id}})


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox as a process (see ``x_control.main``)."""
    from connectors.sandbox.x_control import main as control_main

    return control_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
