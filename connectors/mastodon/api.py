"""HTTP to one Mastodon instance through a requests.Session: every failure becomes a typed connector error.

Status codes turn into errors here only: 429 is ``RateLimited`` until ``X-RateLimit-Reset`` (an ISO 8601
time), 5xx is ``Unavailable``, 401/403 are ``AuthFailed`` naming the channel, other 4xx are ``Rejected``.
Mastodon's error body is ``{"error": "..."}``. Timeouts, proxies and network failures: ``connectors._http``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from connectors import _http
from connectors.base import AuthFailed, BadPayload, RateLimited, Rejected, Unavailable
from connectors.mastodon.parse import reset_in

DEFAULT_RETRY = 300.0  # Mastodon's API windows are 5 minutes long
USER_AGENT = "social-care-inbox/0.1 (+mastodon connector)"


@dataclass(frozen=True, slots=True)
class RateLimitState:
    """The last ``X-RateLimit-*`` headers seen: the window closest to running out."""

    limit: int | None
    remaining: int | None
    reset: str | None  # ISO 8601, as the instance sent it
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class Answer:
    body: Any
    links: Mapping[str, Mapping[str, str]]  # rel -> {"url": ...}, from the Link header
    status: int


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _is_json(resp: requests.Response) -> bool:
    """The body is a JSON object (the instance's own error), not a gateway's page."""
    try:
        return isinstance(resp.json(), Mapping)
    except ValueError:
        return False


def _error_text(resp: requests.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return resp.text[:200].strip() or resp.reason or ""
    if isinstance(body, Mapping):
        text = body.get("error") or body.get("error_description") or body
        detail = body.get("error_description") if body.get("error") else None
        return f"{text} ({detail})" if detail else str(text)
    return str(body)[:200]


class MastodonHttp:
    """Calls ``base_url`` + path with the channel's bearer token; remembers the rate-limit state."""

    def __init__(
        self,
        channel: str,
        base_url: str,
        token: str,
        *,
        session: requests.Session | None = None,
        timeout: _http.Timeout = _http.DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.channel, self.base_url, self.clock = channel, base_url.rstrip("/"), clock
        self.session = _http.mount(session, timeout=timeout)
        self.session.headers.update({"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT})
        self.rate_limit: RateLimitState | None = None

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """One request; the decoded JSON body with the Link header's relations, or a typed error."""
        where = f"Mastodon channel {self.channel!r}"
        resp = _http.request(
            self.session,
            method,
            self.base_url + path,
            where=where,
            params=params,
            json=json,
            headers=dict(headers or {}),
        )
        self._remember(resp)
        self._raise_for(resp, f"{where}: {method} {path}")
        try:
            body = resp.json()
        except ValueError as exc:
            raise Unavailable(f"{where}: {method} {path} answered {resp.status_code} without JSON") from exc
        return Answer(body, resp.links, resp.status_code)

    def exists(self, path: str) -> bool:
        """Whether ``GET path`` finds something: False on 404, True on 2xx, a typed error otherwise."""
        return self.found(path) is not None

    def found(self, path: str) -> Answer | None:
        """``GET path``: None on 404, the answer on 2xx (its body None when it is not JSON), a typed error
        otherwise."""
        where = f"Mastodon channel {self.channel!r}"
        resp = _http.request(self.session, "GET", self.base_url + path, where=where, headers={})
        self._remember(resp)
        if resp.status_code == 404:
            return None
        self._raise_for(resp, f"{where}: GET {path}")
        try:
            body = resp.json()
        except ValueError:
            body = None
        return Answer(body, resp.links, resp.status_code)

    def _remember(self, resp: requests.Response) -> None:
        headers = resp.headers
        if "X-RateLimit-Limit" in headers or "X-RateLimit-Remaining" in headers:
            self.rate_limit = RateLimitState(
                _int(headers.get("X-RateLimit-Limit")),
                _int(headers.get("X-RateLimit-Remaining")),
                headers.get("X-RateLimit-Reset"),
                self.clock(),
            )

    def _raise_for(self, resp: requests.Response, what: str) -> None:
        status = resp.status_code
        if status < 400:
            return
        error = _error_text(resp)
        if status == 429:
            wait = reset_in(resp.headers.get("X-RateLimit-Reset"), self.clock())
            if wait is None:
                wait = _http.retry_after(resp.headers)
            retry = float(wait) if wait is not None else DEFAULT_RETRY
            message = f"{what}: rate limit reached ({error}); retry in {retry:.0f}s"
            raise RateLimited(message, retry_after=retry)
        if status >= 500:  # a Retry-After (maintenance) is waited for
            wait = _http.retry_after(resp.headers)
            raise Unavailable(f"{what}: the instance answered {status} ({error})", retry_after=wait)
        if status != 401 and not _is_json(resp):  # a gateway's page: the instance may have acted on it
            raise BadPayload(f"{what}: answered {status} without the instance's JSON ({error[:80]})")
        if status in (401, 403):
            raise AuthFailed(
                f"{what}: the instance refused the access token ({status}: {error}); "
                "check the channel's access_token credential and its scopes"
            )
        raise Rejected(f"{what}: rejected ({status}: {error})")
