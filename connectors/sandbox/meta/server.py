"""A loopback Meta Graph API sandbox: Facebook Page comments and Messenger, Instagram comments and DMs,
WhatsApp Cloud API; its state lives in memory only.

Traffic added through the Python or ``/_sandbox/`` control API is also pushed, signed with the app secret,
to the webhook receiver configured for its platform (``--webhook-url``), as Meta does. Tests:
``with MetaSandbox() as meta:`` and give the connector ``base_url=meta.url``. Demo: ``inbox sandbox meta``;
each start there is a new world whose ids continue above any earlier world's (``_ids.world_base``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.sandbox import _cli
from connectors.sandbox._control import as_time
from connectors.sandbox._ids import world_base
from connectors.sandbox._replay import Replays
from connectors.sandbox._server import Fault, LoopbackServer, Reply, Request
from connectors.sandbox.meta.api import MetaApi
from connectors.sandbox.meta.control import control_routes
from connectors.sandbox.meta.events import (
    comment_edited_event,
    comment_event,
    comment_removed_event,
    message_edit_event,
    message_event,
    message_unsent_event,
    whatsapp_app_echo_event,
    whatsapp_edit_event,
    whatsapp_number_changed_event,
    whatsapp_revoke_event,
)
from connectors.sandbox.meta.graph import GraphError, error_reply
from connectors.sandbox.meta.push import WebhookPusher
from connectors.sandbox.meta.replay import MetaReplayer
from connectors.sandbox.meta.store import MetaStore

PAGE_TOKEN = "sandbox-page-token"
WHATSAPP_TOKEN = "sandbox-whatsapp-token"
APP_SECRET = "sandbox-app-secret"
MESSAGE_PLATFORMS = ("messenger", "instagram", "whatsapp")


class MetaSandbox(LoopbackServer):
    """Graph API on 127.0.0.1 for one Page, its Instagram account and one WhatsApp number; a control API."""

    def __init__(
        self,
        *,
        page_token: str = PAGE_TOKEN,
        whatsapp_token: str = WHATSAPP_TOKEN,
        app_secret: str = APP_SECRET,
        webhook_urls: dict[str, str] | None = None,
        clock: Callable[[], datetime] | None = None,
        async_window_errors: bool = False,
        id_base: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """``id_base``: added to where post, comment and message ids start (see ``MetaStore``)."""
        super().__init__(host, port)
        self.store = MetaStore(id_base=id_base)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.pusher = WebhookPusher(app_secret)
        self.pusher.urls.update(webhook_urls or {})
        self.replays = Replays()
        api = MetaApi(
            self.store,
            self.lock,
            page_token=page_token,
            whatsapp_token=whatsapp_token,
            clock=self.clock,
            push=self._push,
            base_url=lambda: self.url,
            async_window_errors=async_window_errors,
        )
        self.api = api
        for method, pattern, handler in api.routes():
            self.route(method, pattern, self._graph(handler))
        for method, pattern, control in control_routes(self):
            self.route(method, pattern, control)

    @staticmethod
    def _graph(handler: Callable[[Request], Reply]) -> Callable[[Request], Reply]:
        def serve(req: Request) -> Reply:
            try:
                return handler(req)
            except GraphError as exc:
                return error_reply(exc)

        return serve

    def _push(self, platform: str, event: dict[str, Any], delay: float = 0.0) -> None:
        """Deliver to the receiver of the channel's platform (Messenger events belong to the Page); with a
        ``delay``, later and from the pusher's thread."""
        target = "facebook" if platform == "messenger" else platform
        if delay > 0:
            self.pusher.push_later(target, event, delay)
        else:
            self.pusher.push(target, event)

    def fault_reply(self, fault: Fault, req: Request) -> Reply:
        """An injected failure in Graph's shape; 429 becomes Graph's throttle (HTTP 400, code 4, usage)."""
        status = fault.status or 500
        if status == 429:
            usage = '{"call_count":100,"total_cputime":12,"total_time":40}'
            buc = json.dumps(
                {
                    self.store.page_id: [
                        {"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 1}
                    ]
                }
            )
            exc = GraphError("(#4) Application request limit reached", 4, status=400)
            reply = error_reply(exc, {"X-App-Usage": usage, "X-Business-Use-Case-Usage": buc})
        elif status >= 500:
            exc = GraphError(
                "An unexpected error has occurred. Please retry your request later.", 2, status=status
            )
            reply = error_reply(exc)
        else:
            reply = error_reply(GraphError(f"(#100) injected fault {status}", 100, status=status))
        return reply

    def not_found(self, req: Request) -> Reply:
        return error_reply(GraphError(f"Unknown path components: {req.path}", 2500))

    # --- Python control API (tests) --------------------------------------------------------------
    def cycle_cursor(self, length: int = 2) -> None:
        """Comments pages name as ``after``, after ``length`` pages from a post's newest, the first cursor of
        that walk again (A -> B -> A ...); 0 pages normally again."""
        with self.lock:
            self.api.cycler.set(length)

    def add_post(
        self,
        text: str = "Our new spring collection is here!",
        *,
        platform: str = "facebook",
        created_at: datetime | str | None = None,
    ) -> str:
        """A Page post (``facebook``) or an Instagram media (``instagram``) by the brand; returns its id."""
        with self.lock:
            return self.store.add_container(platform, text, as_time(created_at)).id

    def delete_comment(self, comment_id: str, *, at: datetime | str | None = None, push: bool = True) -> None:
        """The customer deletes their Facebook comment: gone from Graph, pushed as a ``remove`` change."""
        with self.lock:
            comment = self.store.comments.pop(comment_id)
            event = comment_removed_event(self.store, comment, as_time(at))
        if push:
            self._push("facebook", event)

    def edit_comment(self, comment_id: str, text: str, *, at: datetime | str | None = None) -> None:
        """The customer edits their Facebook comment: new text in Graph, pushed as an ``edited`` change."""
        with self.lock:
            comment = self.store.comments[comment_id]
            comment.text = text
            event = comment_edited_event(self.store, comment, as_time(at))
        self._push("facebook", event)

    def edit_message(self, message_id: str, text: str, *, at: datetime | str | None = None) -> None:
        """The customer edits a message (Messenger and Instagram at most five times, as the apps allow):
        pushed as a ``message_edits`` event, or a WhatsApp ``edit`` message."""
        with self.lock:
            message = self._inbound_message(message_id)
            if message["platform"] != "whatsapp" and message.get("edits", 0) >= 5:
                raise ValueError("a Messenger or Instagram message can be edited five times at most")
            message["text"], message["edits"] = text, message.get("edits", 0) + 1
            customer = self.store.customer(message["platform"], message["customer_id"], "")
            if message["platform"] == "whatsapp":
                ident = self.store.new_mid("whatsapp")
                event = whatsapp_edit_event(self.store, customer, message, ident, as_time(at))
            else:
                event = message_edit_event(self.store, customer, message, as_time(at))
        self._push(message["platform"], event)

    def delete_message(self, message_id: str, *, at: datetime | str | None = None) -> None:
        """The customer unsends their message: pushed as a Messenger or Instagram message with
        ``is_deleted``, or a WhatsApp ``revoke`` message."""
        with self.lock:
            message = self._inbound_message(message_id)
            self.store.messages.remove(message)
            customer = self.store.customer(message["platform"], message["customer_id"], "")
            if message["platform"] == "whatsapp":
                ident = self.store.new_mid("whatsapp")
                event = whatsapp_revoke_event(self.store, customer, message_id, ident, as_time(at))
            else:
                event = message_unsent_event(self.store, customer, message_id, as_time(at))
        self._push(message["platform"], event)

    def reply_from_business_app(self, wa_id: str, text: str, *, at: datetime | str | None = None) -> str:
        """Someone at the brand answers a WhatsApp customer from the WhatsApp Business app on the phone
        (a number shared with the Cloud API): pushed as a ``smb_message_echoes`` change. Its wamid."""
        with self.lock:
            customer = self.store.customers[wa_id]
            message = self.store.add_message("whatsapp", customer, text, as_time(at), inbound=False)
            event = whatsapp_app_echo_event(self.store, customer, message)
        self._push("whatsapp", event)
        return str(message["id"])

    def change_number(self, wa_id: str, new_wa_id: str, *, at: datetime | str | None = None) -> None:
        """A WhatsApp customer changes phone number: pushed as a ``system`` message; the API now knows them
        (and their 24-hour window) at the new number only."""
        with self.lock:
            old = self.store.customers.pop(wa_id)
            customer = self.store.customers[new_wa_id] = replace(old, id=new_wa_id)
            ident = self.store.new_mid("whatsapp")
            event = whatsapp_number_changed_event(self.store, customer, wa_id, ident, as_time(at))
        self._push("whatsapp", event)

    def _inbound_message(self, message_id: str) -> dict[str, Any]:
        found = [m for m in self.store.messages if m["id"] == message_id and m["direction"] == "in"]
        if not found:
            raise ValueError(f"no customer message {message_id!r}")
        return found[0]

    def add_comment(
        self,
        text: str,
        *,
        platform: str = "facebook",
        author: str = "Jeanne Client",
        author_id: str | None = None,
        on: str | None = None,
        reply_to: str | None = None,
        created_at: datetime | str | None = None,
        push: bool = True,
        photo: str | None = None,
    ) -> str:
        """A comment on post/media ``on`` (default: the newest, created if none), or a reply to comment
        ``reply_to``; ``author="brand"`` writes as the brand; ``photo``: the URL of a picture attached
        (Facebook). Pushed as a webhook unless ``push=False``."""
        with self.lock:
            if reply_to is not None:
                container = self.store.containers[self.store.comments[reply_to].container_id]
            else:
                found = self.store.containers.get(on or "") or self.store.latest_container(platform)
                container = found or self.store.add_container(
                    platform, "Hello from Acme!", as_time(None) - timedelta(days=1)
                )
            if author == "brand":
                author_id, author = self.store.brand_of(container.platform)
            author_id = author_id or self.customer_id(container.platform, author)
            comment = self.store.add_comment(
                container, author_id, author, text, as_time(created_at), reply_to
            )
            comment.photo = photo if container.platform == "facebook" else None
            event = comment_event(self.store, comment)
        if push:
            self._push(container.platform, event)
        return comment.id

    def add_message(
        self,
        text: str,
        *,
        platform: str = "messenger",
        sender: str | None = None,
        name: str = "Jeanne Client",
        created_at: datetime | str | None = None,
        push: bool = True,
        message_id: str | None = None,
        attachment: str | None = None,
    ) -> str:
        """A customer's message on ``messenger``, ``instagram`` or ``whatsapp`` (``sender``: PSID, IGSID or
        wa_id; one is made up from ``name`` when omitted; ``message_id``: its mid or wamid, else a new one),
        carrying an ``attachment`` (``connectors.sandbox.meta.attachments.KINDS``: its words, if any, are
        the caption). Returns the message id."""
        if platform not in MESSAGE_PLATFORMS:
            raise ValueError(f"platform must be one of {MESSAGE_PLATFORMS}, got {platform!r}")
        with self.lock:
            ident = sender or self.customer_id(platform, name)
            customer = self.store.customer(platform, ident, name)
            message = self.store.add_message(
                platform, customer, text, as_time(created_at), inbound=True, ident=message_id
            )
            if attachment is not None:
                message["attachment"] = attachment
            event = message_event(self.store, customer, message)
        if push:
            self._push(platform, event)
        return str(message["id"])

    def customer_id(self, platform: str, name: str) -> str:
        """A stable made-up id for a customer name: PSID/IGSID digits, or a phone number for WhatsApp."""
        digits = str(int(hashlib.sha256(f"{platform}:{name}".encode()).hexdigest(), 16))
        return f"336{digits[:8]}" if platform == "whatsapp" else f"7{digits[:15]}"

    def set_webhook(self, url: str | None, *, platform: str = "*", app_secret: str | None = None) -> None:
        with self.lock:
            if url:
                self.pusher.urls[platform] = url
            else:
                self.pusher.urls.pop(platform, None)
            if app_secret:
                self.pusher.app_secret = app_secret

    @property
    def sent(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(s) for s in self.store.sent]

    @property
    def hidden(self) -> list[str]:
        with self.lock:
            return list(self.store.hidden)

    def state(self) -> dict[str, Any]:
        with self.lock:
            s = self.store
            return {
                "url": self.url,
                "page": {"id": s.page_id, "name": s.page_name},
                "instagram": {"id": s.ig_user_id, "username": s.ig_username},
                "whatsapp": {"phone_number_id": s.phone_number_id, "waba_id": s.waba_id},
                **s.counts(),
                "requests": len(self.requests),
                "faults": self.faults(),
                "webhooks": {
                    "urls": dict(self.pusher.urls),
                    "delivered": len(self.pusher.deliveries),
                    "retrying": self.pusher.pending(),
                },
                "replay": self.replays.state(),
            }

    def replay(self, *, backlog: int = 10, interval: float = 20.0) -> MetaReplayer:
        """Seed a backlog of customer traffic on every platform, then one new item every ``interval`` s."""
        return self.replays.start(MetaReplayer(self, backlog=backlog, interval=interval))

    def stop(self) -> None:
        self.replays.stop()
        self.pusher.stop()
        super().stop()


def _urls(values: list[str]) -> dict[str, str]:
    """``--webhook-url URL`` (every platform) or ``--webhook-url whatsapp=URL`` (one platform)."""
    out: dict[str, str] = {}
    for value in values:
        key, sep, url = value.partition("=")
        if sep and key in ("facebook", *MESSAGE_PLATFORMS):
            out["facebook" if key == "messenger" else key] = url
        else:
            out["*"] = value
    return out


def main(argv: list[str] | None = None) -> int:
    """Serve the sandbox until SIGTERM or SIGINT, printing its URL first."""
    p = _cli.parser("meta", "Loopback Meta Graph API sandbox.", port=8705, backlog=10, interval=20.0)
    p.add_argument(
        "--webhook-url",
        action="append",
        default=[],
        metavar="[PLATFORM=]URL",
        help="receiver for pushed events (repeat per platform: facebook, instagram, whatsapp)",
    )
    p.add_argument("--app-secret", default=APP_SECRET, help="signs pushed events (X-Hub-Signature-256)")
    p.add_argument("--page-token", default=PAGE_TOKEN)
    p.add_argument("--whatsapp-token", default=WHATSAPP_TOKEN)
    p.add_argument(
        "--async-window-errors",
        action="store_true",
        help="accept WhatsApp text outside the 24-hour window, then push a failed status (131047)",
    )
    args = _cli.parse(p, argv)
    sandbox = MetaSandbox(
        page_token=args.page_token,
        whatsapp_token=args.whatsapp_token,
        app_secret=args.app_secret,
        webhook_urls=_urls(args.webhook_url),
        async_window_errors=args.async_window_errors,
        id_base=world_base(),
        host=args.host,
        port=args.port,
    )
    return _cli.serve(sandbox, args, "Meta")


if __name__ == "__main__":
    raise SystemExit(main())
