"""XRPC over requests for one Bluesky account: the session (created once, refreshed on expiry) and errors.

Queries are ``GET /xrpc/<nsid>`` and procedures ``POST /xrpc/<nsid>`` with JSON, sent to the account's PDS.
Chat calls carry ``atproto-proxy: did:web:api.bsky.chat#bsky_chat``. Status codes and XRPC error names
turn into the connector's typed errors in ``error_for`` only; messages name the channel, never a token.
Timeouts, proxies and network failures: ``connectors._http``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import requests

from connectors import _http
from connectors.base import AuthFailed, BadPayload, ConnectorError, RateLimited, Rejected, Unavailable

PDS = "https://bsky.social"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
REFRESHABLE = {"ExpiredToken"}
RELOGIN = {"InvalidToken", "AuthMissing", "AuthenticationRequired"}


class XrpcRejected(Rejected):
    """A 4xx the request itself caused; ``error`` is the XRPC error name (``RecordNotFound``...)."""

    def __init__(self, message: str, *, error: str) -> None:
        super().__init__(message)
        self.error = error


def _reset_in(response: requests.Response, now: float) -> float:
    reset, retry = response.headers.get("ratelimit-reset"), _http.retry_after(response.headers)
    try:
        if reset:
            return max(1.0, float(reset) - now)
    except ValueError:
        pass
    return max(1.0, retry) if retry is not None else 60.0


def error_of(response: requests.Response) -> tuple[str, str]:
    """The XRPC body's (error, message); the HTTP reason when the body is not XRPC JSON."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, Mapping):
        return response.reason or f"HTTP {response.status_code}", ""
    return str(body.get("error") or f"HTTP {response.status_code}"), str(body.get("message") or "")[:300]


def error_for(channel: str, nsid: str, response: requests.Response) -> ConnectorError:
    """The typed error for a failed XRPC call."""
    status = response.status_code
    error, message = error_of(response)
    detail = (
        f"Bluesky channel {channel!r}: {nsid} failed ({status} {error}{': ' + message if message else ''})"
    )
    if status == 429:
        wait = _reset_in(response, time.time())
        return RateLimited(f"{detail}; retry in {wait:.0f}s", retry_after=wait)
    if status >= 500:  # a Retry-After (maintenance) is waited for
        return Unavailable(detail, retry_after=_http.retry_after(response.headers))
    if error == "InvalidToken" and "method" in message.lower():
        return AuthFailed(f"{detail}: the app password was created without direct-message access")
    if status == 401 or error in REFRESHABLE | RELOGIN or error in {"AccountTakedown", "AccountDeactivated"}:
        return AuthFailed(f"{detail}: check the channel's handle and app_password")
    if not _is_xrpc(response):  # a gateway's page, not the PDS's refusal: it may have acted (a post made)
        return BadPayload(f"{detail}: the answer is not XRPC's JSON")
    return XrpcRejected(detail, error=error)


def _is_xrpc(response: requests.Response) -> bool:
    """The body is an XRPC error (a JSON object naming its ``error``)."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, Mapping) and isinstance(body.get("error"), str)


class Xrpc:
    """An authenticated XRPC client for one account (handle + app password)."""

    def __init__(
        self,
        channel: str,
        *,
        identifier: str,
        password: str,
        base_url: str | None = None,
        session: requests.Session | None = None,
        timeout: _http.Timeout = _http.DEFAULT_TIMEOUT,
    ) -> None:
        self.channel, self.identifier, self._password = channel, identifier, password
        self.base_url = (base_url or PDS).rstrip("/")
        self.http = _http.mount(session, timeout=timeout)
        self.timeout = timeout
        self.did: str | None = None
        self.handle: str | None = None
        self._access: str | None = None
        self._refresh: str | None = None
        self.logins = 0  # createSession is limited (30 per 5 minutes): count them

    def _send(
        self, method: str, nsid: str, *, token: str | None, chat: bool = False, **kw: Any
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if chat:
            headers["atproto-proxy"] = CHAT_PROXY
        url, where = f"{self.base_url}/xrpc/{nsid}", f"Bluesky channel {self.channel!r}"
        return _http.request(self.http, method, url, where=where, headers=headers, timeout=self.timeout, **kw)

    def _session_from(self, nsid: str, response: requests.Response) -> None:
        if not response.ok:
            raise error_for(self.channel, nsid, response)
        body = response.json()
        self._access, self._refresh = body["accessJwt"], body["refreshJwt"]
        self.did, self.handle = body["did"], body.get("handle")

    def login(self) -> None:
        """``createSession`` with the handle and app password."""
        nsid = "com.atproto.server.createSession"
        self.logins += 1
        body = {"identifier": self.identifier, "password": self._password}
        self._session_from(nsid, self._send("POST", nsid, token=None, json=body))

    def refresh(self) -> None:
        """``refreshSession`` with the refresh token; a new login when it is refused too."""
        nsid = "com.atproto.server.refreshSession"
        if self._refresh is None:
            self.login()
            return
        response = self._send("POST", nsid, token=self._refresh)
        if response.ok:
            self._session_from(nsid, response)
        elif response.status_code in (400, 401):
            self.login()
        else:
            raise error_for(self.channel, nsid, response)

    def ensure_session(self) -> str:
        """The account's DID, logging in first if needed."""
        if self._access is None or self.did is None:
            self.login()
        assert self.did is not None
        return self.did

    def call(self, method: str, nsid: str, *, chat: bool = False, **kw: Any) -> Any:
        """One authenticated call; an expired access token is refreshed and the call made once more."""
        self.ensure_session()
        response = self._send(method, nsid, token=self._access, chat=chat, **kw)
        if response.status_code in (400, 401):
            error, message = error_of(response)
            if error in REFRESHABLE or (error in RELOGIN and "method" not in message.lower()):
                if error in REFRESHABLE:
                    self.refresh()
                else:
                    self.login()
                response = self._send(method, nsid, token=self._access, chat=chat, **kw)
        if not response.ok:
            raise error_for(self.channel, nsid, response)
        try:
            return response.json()
        except ValueError:
            raise Unavailable(f"Bluesky channel {self.channel!r}: {nsid} answered without JSON") from None

    def query(self, nsid: str, params: Mapping[str, Any], *, chat: bool = False) -> Any:
        return self.call("GET", nsid, chat=chat, params={k: v for k, v in params.items() if v is not None})

    def procedure(self, nsid: str, body: Mapping[str, Any], *, chat: bool = False) -> Any:
        return self.call("POST", nsid, chat=chat, json=dict(body))
