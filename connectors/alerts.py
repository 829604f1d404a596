"""Escalation alerts to a Slack- or Teams-compatible incoming webhook: one JSON POST per call, no retry.

The body is ``{"text": ...}``, which both Slack and Teams incoming webhooks display, plus whatever structured
fields the caller adds. Status codes become the typed errors of ``connectors.base`` in ``error_for``. The URL
is a secret (it embeds the webhook's token), so no error message ever repeats it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from connectors.base import AuthFailed, ConnectorError, RateLimited, Rejected, Unavailable

DEFAULT_TIMEOUT = (3.05, 10.0)  # connect, read (seconds)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def error_for(response: requests.Response) -> ConnectorError | None:
    """The typed error for a webhook's answer; None for a 2xx."""
    status = response.status_code
    if status < 300:
        return None
    detail = f"webhook answered HTTP {status}: {response.text[:200]!r}"
    if status == 429:
        return RateLimited(detail, retry_after=_retry_after(response))
    if status >= 500:
        return Unavailable(detail, retry_after=_retry_after(response))
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
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("the webhook URL must start with https:// (or http:// on loopback)")
        self._url = url
        self.session = session or requests.Session()
        self.timeout = timeout

    def post(self, payload: Mapping[str, Any]) -> None:
        """Send one alert; raises RateLimited, Unavailable, AuthFailed or Rejected."""
        if not str(payload.get("text", "")).strip():
            raise ValueError("an alert needs a non-empty 'text'")
        try:
            response = self.session.post(self._url, json=dict(payload), timeout=self.timeout)
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise Unavailable(f"webhook could not be reached ({type(exc).__name__})") from None
        except requests.RequestException as exc:
            raise ConnectorError(f"webhook call failed ({type(exc).__name__})") from None
        error = error_for(response)
        if error is not None:
            raise error

    def close(self) -> None:
        self.session.close()
