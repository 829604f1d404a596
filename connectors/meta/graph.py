"""Graph API calls over requests, and the one place Graph error bodies become the connector's typed errors.

Graph answers errors as ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``; the code,
not the HTTP status, says what happened (throttling comes back as HTTP 400 or 403 with code 4, 17, 32 or 613).
The token travels in the ``Authorization`` header only, never in a URL, so no log or cursor holds it; pages
are followed with their ``after`` cursor, never with ``paging.next`` (which embeds the token). Timeouts,
proxies and network failures: ``connectors._http``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import requests

from connectors import _http
from connectors.base import AuthFailed, BadPayload, ConnectorError, RateLimited, Rejected, Unavailable

DEFAULT_VERSION = "v25.0"
GRAPH_URL = "https://graph.facebook.com"
THROTTLE_CODES = {4, 17, 32, 613, 80001, 80002, 80004, 80006, 130429, 131056}
TRANSIENT_CODES = {1, 2}  # "unknown error", "service temporarily unavailable"
WINDOW_SUBCODE = 2018278  # Messenger/Instagram: sent outside the allowed window
REENGAGEMENT = 131047  # WhatsApp: more than 24 hours since the customer last wrote
THROTTLE_DEFAULT_WAIT = 300.0  # app-level usage recovers over a rolling hour; Graph gives no reset time
USAGE_HEADERS = ("x-app-usage", "x-business-use-case-usage", "x-page-usage", "x-ad-account-usage")


class OutsideWindow(Rejected):
    """The customer is outside the messaging window (Messenger/Instagram 2018278, WhatsApp 131047)."""

    def __init__(self, message: str, *, template_required: bool) -> None:
        super().__init__(message)
        self.template_required = template_required


def _error(response: requests.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, Mapping) else None
    return error if isinstance(error, Mapping) else {}


def regain_seconds(headers: Mapping[str, str]) -> float | None:
    """The longest ``estimated_time_to_regain_access`` (minutes) in ``X-Business-Use-Case-Usage``, in seconds;
    else ``Retry-After``; else None."""
    waits: list[float] = []
    try:
        buc = json.loads(headers.get("x-business-use-case-usage") or "{}")
    except ValueError:
        buc = {}
    for entries in buc.values() if isinstance(buc, Mapping) else []:
        for entry in entries if isinstance(entries, list) else []:
            minutes = entry.get("estimated_time_to_regain_access") if isinstance(entry, Mapping) else None
            if isinstance(minutes, int | float):
                waits.append(float(minutes) * 60)
    return max(waits) if waits else _http.retry_after(headers)


def error_for(response: requests.Response, where: str) -> ConnectorError | None:
    """The typed error for a Graph answer (None for a 2xx); ``where`` names the channel in the message."""
    status = response.status_code
    if status < 300:
        return None
    err = _error(response)
    code, sub = err.get("code"), err.get("error_subcode")
    detail = f"{err.get('message') or response.reason} (HTTP {status}, code {code}, subcode {sub}, " + (
        f"fbtrace_id {err.get('fbtrace_id')})"
    )
    headers = {k.lower(): v for k, v in response.headers.items()}
    if code in THROTTLE_CODES or status == 429:
        wait = regain_seconds(headers)
        return RateLimited(f"{where}: Graph rate limit: {detail}", retry_after=wait or THROTTLE_DEFAULT_WAIT)
    if code == 190 or status == 401:
        return AuthFailed(f"{where}: the access token was refused; create a new one: {detail}")
    if (code == 10 and sub == WINDOW_SUBCODE) or code == REENGAGEMENT:
        why = f"{where}: outside the 24-hour messaging window; {_window_hint(code)}: {detail}"
        return OutsideWindow(why, template_required=code == REENGAGEMENT)
    if code == 10 or (isinstance(code, int) and 200 <= code < 300):
        return AuthFailed(f"{where}: the app lacks a permission for this action: {detail}")
    if status >= 500 or code in TRANSIENT_CODES:
        return Unavailable(f"{where}: Graph is unavailable: {detail}", retry_after=regain_seconds(headers))
    if not err:  # a gateway's page, not Graph's refusal: Graph may have acted on it (a reply posted)
        return BadPayload(f"{where}: the answer is not Graph's JSON: {detail}")
    return Rejected(f"{where}: Graph refused the request: {detail}")


def _window_hint(code: Any) -> str:
    if code == REENGAGEMENT:
        return "only an approved template can reach this customer now"
    return "only a message tag (HUMAN_AGENT, up to 7 days) can reach this customer now"


def usage(headers: Mapping[str, str]) -> dict[str, Any]:
    """The Graph usage headers of an answer, decoded (percent of the app's, page's or business's quota)."""
    out: dict[str, Any] = {}
    for name in USAGE_HEADERS:
        value = headers.get(name)
        if value:
            try:
                out[name] = json.loads(value)
            except ValueError:
                out[name] = value
    return out


class Graph:
    """A Graph API client for one channel: ``get``/``post`` return the JSON body or raise typed errors."""

    def __init__(
        self,
        where: str,
        token: str,
        *,
        base_url: str | None = None,
        version: str = DEFAULT_VERSION,
        session: requests.Session | None = None,
        timeout: _http.Timeout = _http.DEFAULT_TIMEOUT,
    ) -> None:
        self.where = where
        self.base = (base_url or f"{GRAPH_URL}/{version}").rstrip("/")
        self.session = _http.mount(session, timeout=timeout)
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.last_usage: dict[str, Any] = {}
        self.last_call_at: float | None = None

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self._call("GET", path, params=dict(params or {}))

    def post(self, path: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        return self._call("POST", path, json=dict(payload))

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        url = f"{self.base}/{path.lstrip('/')}"
        response = _http.request(
            self.session, method, url, where=f"{self.where}: Graph", timeout=self.timeout, **kwargs
        )
        self.last_call_at = time.time()
        self.last_usage = usage({k.lower(): v for k, v in response.headers.items()})
        error = error_for(response, self.where)
        if error is not None:
            raise error
        try:
            body = response.json()
        except ValueError:
            raise Unavailable(f"{self.where}: Graph answered {method} {path} with no JSON") from None
        if not isinstance(body, dict):
            raise Unavailable(f"{self.where}: Graph answered {method} {path} with {type(body).__name__}")
        return body

    def close(self) -> None:
        self.session.close()
