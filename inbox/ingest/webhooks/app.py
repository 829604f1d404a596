"""The webhook receiver as a plain ASGI application (served by uvicorn): ``/webhooks/{channel name}``.

- ``GET``: the platform's subscription check (Meta ``hub.challenge``, X ``crc_token``); 400 if it is none.
- ``POST``: the body (at most ``max_body`` bytes, else 413) must carry the platform's valid signature
  (401 unsigned, 403 mis-signed); it is then stored raw and committed, answered 200, and only then ingested
  (so a slow classifier never delays the acknowledgement; a crash leaves it ``pending`` for the replay).
- An unknown channel, or one whose platform takes no webhooks, is 404. ``GET /healthz`` answers 200.
- On start (ASGI lifespan) the events left pending or failed are ingested again.
Blocking work (signature check aside) runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from connectors.base import WebhookRejected
from inbox.ingest.webhooks.receiver import Receiver

log = logging.getLogger("inbox.ingest.webhooks")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
PATH = re.compile(r"^/webhooks/(?P<name>[a-z0-9][a-z0-9_-]*)/?$")
DEFAULT_MAX_BODY = 2 * 1024 * 1024  # Meta batches up to 1,000 updates in one POST


class TooLarge(Exception):
    pass


async def respond(send: Send, status: int, body: str, content_type: str = "text/plain") -> None:
    payload = body.encode()
    headers = [
        (b"content-type", f"{content_type}; charset=utf-8".encode()),
        (b"content-length", str(len(payload)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole request body; TooLarge as soon as it (or its declared length) passes ``limit``."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class WebhookApp:
    """ASGI callable over a Receiver."""

    def __init__(
        self, receiver: Receiver, *, max_body: int = DEFAULT_MAX_BODY, replay_on_start: bool = True
    ) -> None:
        self.receiver, self.max_body, self.replay_on_start = receiver, max_body, replay_on_start
        self.background: set[asyncio.Task[Any]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.replay_on_start:
                    report = await asyncio.to_thread(self.receiver.replay_pending)
                    if report.done or report.failed:
                        log.info(
                            "replayed stored webhook events: %s done, %s failed", report.done, report.failed
                        )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.background:
                    await asyncio.wait(self.background, timeout=10)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        if path == "/healthz" and method == "GET":
            return await respond(
                send, 200, json.dumps({"channels": sorted(self.receiver.channels)}), "application/json"
            )
        match = PATH.match(path)
        name = match["name"] if match else None
        if name is None or self.receiver.runtime(name) is None:
            return await respond(send, 404, "unknown webhook channel")
        if method == "GET":
            return await self._handshake(name, scope, send)
        if method != "POST":
            return await respond(send, 405, "use GET (subscription check) or POST (events)")
        await self._event(name, scope, receive, send)

    async def _handshake(self, name: str, scope: Scope, send: Send) -> None:
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        connector: Any = self.receiver.channels[name].connector
        try:
            answer = connector.webhook_handshake(query)
        except WebhookRejected as exc:
            return await respond(send, exc.status, str(exc))
        if answer is None:
            return await respond(send, 400, "not a subscription check")
        status, content_type, body = answer
        await respond(send, status, body, content_type)

    async def _event(self, name: str, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await read_body(scope, receive, self.max_body)
        except TooLarge:
            return await respond(send, 413, f"body larger than {self.max_body} bytes")
        except ConnectionError:
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        connector: Any = self.receiver.channels[name].connector
        try:
            connector.verify_webhook(headers, body)
        except WebhookRejected as exc:
            log.warning("webhook for %s rejected (%s): %s", name, exc.status, exc)
            return await respond(send, exc.status, str(exc))
        try:
            event_id = await asyncio.to_thread(self.receiver.store, name, headers, body)
        except Exception:  # noqa: BLE001 - not stored: say so, and the platform delivers it again
            log.exception("webhook for %s could not be stored", name)
            return await respond(send, 503, "event not stored; deliver it again")
        await respond(send, 200, "EVENT_RECEIVED")
        task = asyncio.create_task(asyncio.to_thread(self.receiver.process, event_id))
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        await task
