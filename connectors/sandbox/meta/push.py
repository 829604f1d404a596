"""Delivers the Meta sandbox's webhook events to a receiver, signed as Meta signs them, retried like Meta.

The body is compact JSON with non-ASCII escaped as ``\\uXXXX`` (as Meta sends it) and carries
``X-Hub-Signature-256``. A failed delivery (no answer, non-2xx) is retried in a daemon thread after 1, 2,
4 … seconds, up to ``attempts`` times; every outcome is kept in ``deliveries``.
"""

from __future__ import annotations

import heapq
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from connectors.meta.webhook import sign


@dataclass(order=True)
class _Pending:
    due: float
    seq: int
    url: str = field(compare=False)
    body: bytes = field(compare=False)
    record: dict[str, Any] = field(compare=False)


class WebhookPusher:
    """Signed POSTs to the receiver configured for each platform (``"*"``: every platform)."""

    def __init__(self, app_secret: str = "sandbox-app-secret", *, attempts: int = 8) -> None:
        self.app_secret = app_secret
        self.urls: dict[str, str] = {}
        self.attempts = attempts
        self.deliveries: list[dict[str, Any]] = []
        self._queue: list[_Pending] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="sandbox-meta-push")
        self._thread.start()

    def url_for(self, platform: str) -> str | None:
        return self.urls.get(platform) or self.urls.get("*")

    def push(self, platform: str, event: dict[str, Any]) -> dict[str, Any]:
        """Deliver now (on the caller's thread); on failure, queue retries. Returns the delivery record."""
        url = self.url_for(platform)
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=True).encode()
        record: dict[str, Any] = {
            "platform": platform,
            "object": event.get("object"),
            "status": None,
            "attempts": 0,
        }
        if url is None:
            record["status"] = "no receiver configured"
            return record
        with self._cond:
            self.deliveries.append(record)
        if not self._deliver(url, body, record):
            self._schedule(_Pending(time.monotonic() + 1.0, next(self._seq), url, body, record))
        return record

    def push_later(self, platform: str, event: dict[str, Any], delay: float) -> None:
        """Deliver from the retry thread after ``delay`` seconds (statuses come after the send's answer)."""
        url = self.url_for(platform)
        if url is None:
            return
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=True).encode()
        record: dict[str, Any] = {
            "platform": platform,
            "object": event.get("object"),
            "status": None,
            "attempts": 0,
        }
        with self._cond:
            self.deliveries.append(record)
        self._schedule(_Pending(time.monotonic() + delay, next(self._seq), url, body, record))

    def _deliver(self, url: str, body: bytes, record: dict[str, Any]) -> bool:
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, self.app_secret)}
        record["attempts"] += 1
        try:
            with requests.Session() as session:  # one per call: deliveries run on two threads
                session.trust_env = False
                response = session.post(url, data=body, headers=headers, timeout=(3.0, 10.0))
        except requests.RequestException as exc:
            record["status"] = f"error: {type(exc).__name__}"
            return False
        record["status"] = response.status_code
        return response.status_code < 300

    def _schedule(self, pending: _Pending) -> None:
        if pending.record["attempts"] >= self.attempts:
            pending.record["gave_up"] = True
            return
        with self._cond:
            heapq.heappush(self._queue, pending)
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and (not self._queue or self._queue[0].due > time.monotonic()):
                    self._cond.wait(timeout=(self._queue[0].due - time.monotonic()) if self._queue else None)
                if self._stop:
                    return
                pending = heapq.heappop(self._queue)
            if not self._deliver(pending.url, pending.body, pending.record):
                wait = 2.0 ** pending.record["attempts"]
                self._schedule(
                    _Pending(
                        time.monotonic() + wait, next(self._seq), pending.url, pending.body, pending.record
                    )
                )

    def pending(self) -> int:
        with self._cond:
            return len(self._queue)

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify()
        self._thread.join(timeout=5)
