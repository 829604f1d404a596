"""Who may call the X sandbox (bearer or OAuth 1.0a user context) and how often (rate windows). No I/O."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from connectors.sandbox._windows import FixedWindows

# Endpoint keys used by ``rate_limits`` (method and X's path template).
ENDPOINTS = (
    "GET /2/users/me",
    "GET /2/users/:id/mentions",
    "GET /2/users/:id/tweets",
    "GET /2/tweets/:id",
    "GET /2/tweets/search/recent",
    "GET /2/dm_events",
    "POST /2/tweets",
    "POST /2/dm_conversations/with/:participant_id/messages",
    "GET /2/dm_conversations/with/:participant_id/dm_events",
)
ALIASES = {  # short names accepted in ``rate_limits``
    "users_me": ENDPOINTS[0],
    "mentions": ENDPOINTS[1],
    "user_tweets": ENDPOINTS[2],
    "tweet": ENDPOINTS[3],
    "search": ENDPOINTS[4],
    "dm_events": ENDPOINTS[5],
    "create_tweet": ENDPOINTS[6],
    "create_dm": ENDPOINTS[7],
    "dm_events_with": ENDPOINTS[8],
}
RELAXED = (10_000, 900)  # the default: headers on every answer, a window a test or demo never spends
# Per-user windows from X's rate-limit page (pay-per-use era; see docs/platform-apis.md 1.5).
DOCUMENTED_LIMITS: dict[str, tuple[int, int]] = {
    "GET /2/users/me": (75, 900),
    "GET /2/users/:id/mentions": (300, 900),
    "GET /2/users/:id/tweets": (900, 900),
    "GET /2/tweets/:id": (900, 900),
    "GET /2/tweets/search/recent": (300, 900),
    "GET /2/dm_events": (15, 900),
    "POST /2/tweets": (100, 900),
    "POST /2/dm_conversations/with/:participant_id/messages": (15, 900),
    "GET /2/dm_conversations/with/:participant_id/dm_events": (15, 900),
}
_OAUTH_PARAM = re.compile(r'(\w+)="([^"]*)"')
_OAUTH_REQUIRED = ("oauth_consumer_key", "oauth_token", "oauth_signature", "oauth_nonce", "oauth_timestamp")


@dataclass(frozen=True)
class Principal:
    """The caller: the app (bearer token) or a user (OAuth 1.0a user context)."""

    user_id: str | None  # None for app-only

    @property
    def key(self) -> str:
        return self.user_id or "app"


class Denied(Exception):
    """A refused call: 401 for bad credentials, 403 for an auth type the endpoint does not take."""

    def __init__(self, status: int, title: str, detail: str, kind: str = "about:blank") -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.kind = status, title, detail, kind


def oauth_params(header: str) -> dict[str, str]:
    """The parameters of an ``Authorization: OAuth k="v", ...`` header, percent-decoded."""
    return {k: unquote(v) for k, v in _OAUTH_PARAM.findall(header)}


def authenticate(header: str | None, *, bearer_token: str, consumer_key: str, brand_id: str) -> Principal:
    """The caller behind an Authorization header. The OAuth signature itself is not verified (it covers
    ``https://api.twitter.com`` + path, and the sandbox does not know the secrets); the consumer key and
    the ``"<brand id>-..."`` access token must match."""
    scheme, _, rest = (header or "").partition(" ")
    if scheme == "Bearer" and rest.strip() == bearer_token:
        return Principal(None)
    if scheme == "OAuth":
        params = oauth_params(rest)
        token = params.get("oauth_token", "")
        if (
            all(params.get(k) for k in _OAUTH_REQUIRED)
            and params.get("oauth_signature_method") == "HMAC-SHA1"
            and params["oauth_consumer_key"] == consumer_key
            and token.startswith(f"{brand_id}-")
        ):
            return Principal(brand_id)
    raise Denied(401, "Unauthorized", "Unauthorized")


def require_user(principal: Principal) -> None:
    """DM and ``users/me`` endpoints refuse app-only (bearer) tokens, as X does."""
    if principal.user_id is None:
        raise Denied(
            403,
            "Unsupported Authentication",
            "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
            "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
            "https://api.x.com/2/problems/unsupported-authentication",
        )


class RateLimits(FixedWindows):
    """Fixed windows per (endpoint, caller); each call spends one unit. Thread-safe."""

    def __init__(
        self,
        limits: Mapping[str, tuple[int, float]] | None = None,
        *,
        default: tuple[int, float] = RELAXED,
        clock: Callable[[], float] = time.time,
    ) -> None:
        given = {ALIASES.get(k, k): v for k, v in (limits or {}).items()}
        unknown = set(given) - set(ENDPOINTS)
        if unknown:
            raise ValueError(
                f"unknown endpoint(s) {sorted(unknown)}; known: {list(ENDPOINTS)} or {list(ALIASES)}"
            )
        super().__init__({e: given.get(e, default) for e in ENDPOINTS}, clock=clock)

    def spend(self, endpoint: str, caller: str) -> tuple[bool, dict[str, str]]:
        """Whether the call may proceed, and the ``x-rate-limit-*`` headers to send with the answer."""
        spent = self.take(endpoint, caller)
        return spent.allowed, {
            "x-rate-limit-limit": str(spent.limit),
            "x-rate-limit-remaining": str(spent.remaining),
            "x-rate-limit-reset": str(math.ceil(spent.reset_at)),
        }
