"""The webhook receiver as a Starlette application (served by uvicorn): ``/webhooks/{channel name}``.

- ``GET``: the platform's subscription check (Meta ``hub.challenge``, X ``crc_token``); 400 if it is none.
- ``POST``: the body (at most ``max_body`` bytes, declared or streamed, else 413) must carry the platform's
  valid signature (401 unsigned, 403 mis-signed) and nest its JSON at most 64 levels deep (else 400, before
  any parsing); it is then stored raw and committed, answered 200, and only then ingested (so a slow
  classifier never delays the acknowledgement; a crash leaves it ``pending``). A malformed item in it is
  quarantined; its siblings are stored.
- An unknown channel, or one whose platform takes no webhooks, is 404 (before 405 for another method).
  ``GET /healthz`` answers 200 with the channel names. Every answer is text with its charset, never a 5xx
  for bad input (a 503 only when the database cannot store a verified event).
- On start (lifespan) the events left pending or failed are ingested again; on stop, ingestion in flight
  is awaited (10 s at most).
Blocking work (signature check aside) runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.base import WebhookRejected
from connectors.boundary import too_deep
from inbox.ingest.webhooks.receiver import Receiver

log = logging.getLogger("inbox.ingest.webhooks")
DEFAULT_MAX_BODY = 2 * 1024 * 1024  # Meta batches up to 1,000 updates in one POST
RELEASE_EVERY = 15.0  # seconds between two releases of the events held during a stand-by


def text(body: str, status: int = 200, content_type: str = "text/plain", **kw: Any) -> Response:
    """A response of ``content_type`` with ``charset=utf-8``."""
    return Response(body, status, media_type=f"{content_type}; charset=utf-8", **kw)


class Endpoints:
    """The routes, error answers and lifespan over one Receiver."""

    def __init__(self, receiver: Receiver, *, replay_on_start: bool, release_every: float = 0.0) -> None:
        self.receiver, self.replay_on_start, self.release_every = receiver, replay_on_start, release_every
        self.background: set[asyncio.Task[Any]] = set()

    async def health(self, request: Request) -> Response:
        return text(json.dumps({"channels": sorted(self.receiver.channels)}), content_type="application/json")

    async def channel(self, request: Request) -> Response:
        name = request.path_params["name"]
        if self.receiver.runtime(name) is None:
            return await self.not_found(request, None)
        if request.method in ("GET", "HEAD"):
            return self.handshake(name, request)
        return await self.event(name, request)

    def handshake(self, name: str, request: Request) -> Response:
        connector: Any = self.receiver.channels[name].connector
        try:
            answer = connector.webhook_handshake(dict(request.query_params))
        except WebhookRejected as exc:
            return text(str(exc), exc.status)
        if answer is None:
            return text("not a subscription check", 400)
        status, content_type, body = answer
        return text(body, status, content_type)

    async def event(self, name: str, request: Request) -> Response:
        try:
            body = await request.body()  # past max_body: Starlette's 413 "Content Too Large"
        except ClientDisconnect:
            return text("client went away", 400)  # nobody reads it
        headers = {k.lower(): v for k, v in request.headers.items()}  # a repeated header: the last one
        connector: Any = self.receiver.channels[name].connector
        try:
            connector.verify_webhook(headers, body)
        except WebhookRejected as exc:
            log.warning("webhook for %s rejected (%s): %s", name, exc.status, exc)
            return text(str(exc), exc.status)
        refused = too_deep(body)
        if refused is not None:  # before anything parses it: a JSON parser recurses once per level
            log.warning("webhook for %s refused (400): %s", name, refused)
            return text(f"refused: {refused}", 400)
        try:
            event_id = await run_in_threadpool(self.receiver.store, name, headers, body)
        except Exception:  # noqa: BLE001 - not stored: say so, and the platform delivers it again
            log.exception("webhook for %s could not be stored", name)
            return text("event not stored; deliver it again", 503)
        return text("EVENT_RECEIVED", background=BackgroundTask(self.ingest, event_id))

    async def ingest(self, event_id: int) -> None:
        """After the 200 is sent: ingest the stored event, tracked so that shutdown waits for it."""
        task = asyncio.create_task(run_in_threadpool(self.receiver.process, event_id))
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        await task

    async def not_found(self, request: Request, exc: Exception | None) -> Response:
        return text("unknown webhook channel", 404)

    async def not_allowed(self, request: Request, exc: Exception) -> Response:
        if self.receiver.runtime(request.path_params.get("name", "")) is None:
            return await self.not_found(request, exc)
        headers = exc.headers if isinstance(exc, HTTPException) else None
        return text("use GET (subscription check) or POST (events)", 405, headers=headers)

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        if self.replay_on_start:
            report = await run_in_threadpool(self.receiver.replay_pending)
            if report.done or report.failed:
                log.info("replayed stored webhook events: %s done, %s failed", report.done, report.failed)
        releasing = asyncio.create_task(self._release_held()) if self.release_every > 0 else None
        yield
        if releasing is not None:
            releasing.cancel()
        if self.background:
            await asyncio.wait(self.background, timeout=10)

    async def _release_held(self) -> None:
        """Every ``release_every`` seconds: ingest the events held while a channel was on stand-by."""
        while True:
            await asyncio.sleep(self.release_every)
            try:
                released = await run_in_threadpool(self.receiver.release_held)
            except Exception:  # noqa: BLE001 - the loop goes on; the events stay stored for the next round
                log.exception("held webhook events could not be released")
                continue
            if released:
                log.info("ingested %s webhook event(s) held while their channel was on stand-by", released)


def webhook_app(
    receiver: Receiver,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    replay_on_start: bool = True,
    release_every: float = RELEASE_EVERY,
) -> Starlette:
    """The ASGI application over ``receiver`` (``/webhooks/{name}`` with or without a trailing slash); every
    ``release_every`` seconds (0: never) it ingests the events held while a channel was on stand-by."""
    ep = Endpoints(receiver, replay_on_start=replay_on_start, release_every=release_every)
    hooks = [
        Route(path, ep.channel, methods=["GET", "POST"], max_body_size=max_body)
        for path in ("/webhooks/{name}", "/webhooks/{name}/")
    ]
    return Starlette(
        routes=[Route("/healthz", ep.health, methods=["GET"]), *hooks],
        exception_handlers={404: ep.not_found, 405: ep.not_allowed},
        lifespan=ep.lifespan,
    )
