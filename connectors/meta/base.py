"""What every Meta connector shares (Facebook, Instagram, WhatsApp): the Graph client and the webhook side."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from connectors import _http
from connectors._payload import PayloadError, TooDeep, load_json
from connectors.base import Batch, Identity, Malformed, Rejected, Sent
from connectors.capabilities import Closes, ReceivesWebhooks, ReportsDeliveryFailures
from connectors.meta.comments import CommentSource, fetch_comments
from connectors.meta.events import parse_event, statuses
from connectors.meta.graph import DEFAULT_VERSION, Graph
from connectors.meta.webhook import handshake, verify


class MetaConnector(ReceivesWebhooks, ReportsDeliveryFailures, Closes):
    """What Facebook, Instagram and WhatsApp share: the Graph client and the webhook side."""

    platform = "meta"
    label = "Meta"
    streams: tuple[str, ...] = ()

    def __init__(
        self,
        name: str,
        *,
        token: str,
        app_secret: str,
        brand_id: str,
        verify_token: str | None = None,
        base_url: str | None = None,
        version: str = DEFAULT_VERSION,
        page_size: int = 100,
        options: Mapping[str, Any] | None = None,
        timeout: _http.Timeout = _http.DEFAULT_TIMEOUT,
    ) -> None:
        self.name = name
        self.brand_id = brand_id
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.page_size = page_size
        self.options = dict(options or {})
        self.clock: Callable[[], float] = time.time  # when a held post's comments are read again
        where = f"{self.label} channel {name!r}"
        self.graph = Graph(where, token, base_url=base_url, version=version, timeout=timeout)

    # --- webhooks -------------------------------------------------------------------------------
    def webhook_handshake(self, query: Mapping[str, str]) -> tuple[int, str, str] | None:
        return handshake(query, self.verify_token)

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        verify(headers, body, self.app_secret)

    def parse_webhook(self, body: bytes) -> Batch:
        """The items of one verified POST; a body that is not a JSON object is quarantined whole."""
        try:
            payload = load_json(body)
        except TooDeep as exc:
            payload, error = None, str(exc)
        except PayloadError:
            payload, error = None, "body is not a JSON object"
        else:
            error = "body is not a JSON object"
        if not isinstance(payload, Mapping):
            text = body[:2000].decode("utf-8", "replace")
            return Batch(items=[], next_cursor=None, malformed=[Malformed(None, error, {"body": text})])
        accounts = sorted({self.brand_id, *(str(v) for v in [self.options.get("page_id")] if v)})
        items, bad = parse_event(
            payload, platform=self.platform, channel=self.name, brand_id=self.brand_id, accounts=accounts
        )
        return Batch(items=items, next_cursor=None, malformed=bad)

    def delivery_failures(self, body: bytes) -> list[tuple[str, str]]:
        """``(message id, error)`` for each ``failed`` WhatsApp status in a verified body: a message Graph
        accepted but could not deliver (131047 when the customer-service window had closed)."""
        try:
            payload = load_json(body)
        except PayloadError:
            return []
        if not isinstance(payload, Mapping):
            return []
        return [
            (
                s.message_id,
                f"{self.label} could not deliver it: " + "; ".join(f"(#{c}) {t}" for c, t in s.errors),
            )
            for s in statuses(payload)
            if s.status == "failed"
        ]

    # --- reading ----------------------------------------------------------------------------------
    def whoami(self) -> Identity:
        raise NotImplementedError

    def fetch(self, stream: str, cursor: str | None) -> Batch:
        source = self._comment_source() if stream == "comments" and "comments" in self.streams else None
        if source is None:
            raise ValueError(f"unknown {self.label} stream {stream!r}; streams: {list(self.streams)}")
        return fetch_comments(self.graph, source, cursor, self.clock)

    def _comment_source(self) -> CommentSource | None:
        return None

    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent:
        raise Rejected(f"{self.label} channel {self.name!r} has no public replies")

    def send_private(self, recipient_id: str, text: str, *, idempotency_key: str) -> Sent:
        raise NotImplementedError

    def close(self) -> None:
        self.graph.close()
