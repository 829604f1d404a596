"""Escalation alerts to a Slack- or Teams-compatible incoming webhook: one JSON POST per call, no retry.

The body is ``{"text": ...}``, which both Slack and Teams incoming webhooks display, plus whatever structured
fields the caller adds. Status codes become the typed errors of ``connectors.base`` in ``error_for``;
timeouts, proxies and network failures follow ``connectors._http``. The URL is a secret (it embeds the
webhook's token), so no error message ever repeats it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from connectors import _http
from connectors.base import AuthFailed, ConnectorError, RateLimited, Rejected, Unavailable

DEFAULT_TIMEOUT: _http.Timeout = (3.05, 10.0)  # connect, read (seconds)


def error_for(response: requests.Response) -> ConnectorError | None:
    """The typed error for a webhook's answer; None for a 2xx."""
    status = response.status_code
    if status < 300:
        return None
    detail = f"webhook answered HTTP {status}: {response.text[:200]!r}"
    if status == 429:
        return RateLimited(detail, retry_after=_http.retry_after(response.headers))
    if status >= 500:
        return Unavailable(detail, retry_after=_http.retry_after(response.headers))
    if status in (401, 403):
        return AuthFailed(detail)
    return Rejected(detail)


class WebhookConnector:
    """Posts JSON alerts to one incoming-webhook URL."""

    name = "webhook"

    def __init__(
        self,
        url: str,
        *,
        session: requests.Session | None = None,
        timeout: _http.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("the webhook URL must start with https:// (or http:// on loopback)")
        self._url = url
        self.session = _http.mount(session, timeout=timeout)
        self.timeout = timeout

    def post(self, payload: Mapping[str, Any]) -> None:
        """Send one alert; raises RateLimited, Unavailable, AuthFailed or Rejected."""
        if not str(payload.get("text", "")).strip():
            raise ValueError("an alert needs a non-empty 'text'")
        response = _http.request(
            self.session,
            "POST",
            self._url,
            where="the alert webhook",
            json=dict(payload),
            timeout=self.timeout,
        )
        error = error_for(response)
        if error is not None:
            raise error

    def close(self) -> None:
        self.session.close()
