"""A loopback Telegram Bot API sandbox (getMe, getUpdates with offsets and long polling, sendMessage).

URLs have Telegram's shape, ``/bot<token>/<method>``; a wrong token gets 401, a malformed one 404, as on
Telegram. Tests: ``with TelegramSandbox() as tg:`` and a connector with ``base_url=tg.url``. Demo and
out-of-process tests: ``inbox sandbox telegram`` and the control API under ``/_sandbox/``; each start there is
a new world whose update and message ids continue above any earlier world's (``_ids.world_base``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from connectors.sandbox import _cli
from connectors.sandbox._ids import world_base
from connectors.sandbox._replay import Replays
from connectors.sandbox._server import Fault, LoopbackServer, Reply, Request
from connectors.sandbox.telegram.api import BotApi, failure
from connectors.sandbox.telegram.control import control_routes
from connectors.sandbox.telegram.replay import Replayer
from connectors.sandbox.telegram.store import TelegramStore
from connectors.sandbox.telegram.webhook import WebhookPusher

DEFAULT_TOKEN = "7000000001:AAsandbox-telegram-bot-token"
FAULT_RETRY_AFTER = 5
TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class TelegramSandbox(LoopbackServer):
    """One bot on 127.0.0.1, with customers who write to it and a record of what it sent."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "AcmeCareBot",
        name: str = "Acme Care",
        id_base: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """``id_base``: added to where update and message ids start (see ``TelegramStore``)."""
        if not TOKEN.match(token):
            raise ValueError("a bot token has the form <bot id>:<secret>")
        super().__init__(host, port)
        self.token = token
        self.store = TelegramStore(int(token.split(":")[0]), username, name, id_base=id_base)
        self.changed = threading.Condition(self.lock)
        self.replays = Replays()
        self.api = BotApi(self.store, self._wait)
        self.webhook = WebhookPusher(self)
        self.api.methods.update(
            getupdates=self._get_updates,
            setwebhook=self.webhook.set_webhook,
            deletewebhook=self.webhook.delete_webhook,
            getwebhookinfo=self.webhook.info,
        )
        self.route("GET", r"/bot(?P<token>[^/]*)/(?P<method>\w+)", self._serve)
        self.route("POST", r"/bot(?P<token>[^/]*)/(?P<method>\w+)", self._serve)
        for method, path, control in control_routes(self):
            self.route(method, path, control)

    def _wait(self, seconds: float) -> None:
        """Long polling: wait for a new update (or the sandbox stopping); releases the lock meanwhile."""
        self.changed.wait(seconds)

    def _get_updates(self, params: dict[str, Any]) -> Any:
        self.webhook.guard_polling()  # 409 while a webhook is set, as on Telegram
        return self.api.get_updates(params)

    def _serve(self, req: Request) -> Reply:
        token = req.params["token"]
        if not TOKEN.match(token):
            return failure(404, "Not Found")
        if token != self.token:
            return failure(401, "Unauthorized")
        with self.changed:
            return self.api.handle(req.params["method"], req)

    def fault_reply(self, fault: Fault, req: Request) -> Reply:
        """Injected failures in Telegram's shape; a 429 carries ``parameters.retry_after``."""
        status = fault.status or 500
        if status == 429:
            reply = failure(
                429, f"Too Many Requests: retry after {FAULT_RETRY_AFTER}", {"retry_after": FAULT_RETRY_AFTER}
            )
        else:
            words = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
            reply = failure(status, words.get(status, f"Injected error {status}"))
        return reply

    def not_found(self, req: Request) -> Reply:
        return failure(404, "Not Found")

    # --- Python control API (tests) ----------------------------------------------------------
    def add_message(
        self,
        text: str,
        *,
        first_name: str = "Customer",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        user_id: int | None = None,
        at: datetime | None = None,
        reply_to: int | None = None,
        attachment: str | None = None,
    ) -> dict[str, Any]:
        """A customer writes to the bot; returns the queued update (its ``message.chat.id`` is the chat). With
        an ``attachment`` (``connectors.sandbox.telegram.media.KINDS``) the text is its caption, if any."""
        with self.changed:
            user = self.store.user(
                first_name,
                user_id=user_id,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
            update = self.store.customer_message(user, text, at=at, reply_to=reply_to, attachment=attachment)
            self.changed.notify_all()
            return update

    def add_group_message(
        self,
        text: str,
        *,
        group_id: int = -1001234567890,
        title: str = "Acme Fans",
        first_name: str = "Customer",
        username: str | None = None,
        user_id: int | None = None,
        at: datetime | None = None,
        reply_to: int | None = None,
        kind: str = "supergroup",
    ) -> dict[str, Any]:
        """A member writes in a supergroup (or a basic ``group``) the bot is in (with the bot's default
        privacy mode, one that mentions the bot or answers it), possibly answering another member's message
        ``reply_to`` (Telegram then carries a copy of it); returns the queued update."""
        with self.changed:
            user = self.store.user(first_name, user_id=user_id, username=username)
            self.store.group(group_id, title, kind)
            update = self.store.customer_message(user, text, at=at, group=group_id, reply_to=reply_to)
            self.changed.notify_all()
            return update

    def migrate_group(self, old: int, new: int, *, by: str = "Admin") -> list[dict[str, Any]]:
        """A member (``by``) upgrades group ``old`` to supergroup ``new``: both service messages are queued,
        and a send to the old chat is then refused with ``parameters.migrate_to_chat_id``."""
        with self.changed:
            said = self.store.migrate(old, new, self.store.user(by))
            self.changed.notify_all()
            return said

    def edit_message(
        self, chat_id: int, message_id: int, text: str, at: datetime | None = None
    ) -> dict[str, Any]:
        """The customer edits an earlier message (at ``at``, default now): an ``edited_message`` update."""
        with self.changed:
            update = self.store.edit(chat_id, message_id, text, at)
            self.changed.notify_all()
            return update

    def add_raw_update(self, update: Mapping[str, Any], *, keep_id: bool = False) -> dict[str, Any]:
        """Any update object, possibly malformed, sent verbatim (an ``update_id`` is added unless kept)."""
        with self.changed:
            entry = self.store.push(update, keep_id=keep_id)
            self.changed.notify_all()
            return entry

    @property
    def sent(self) -> list[dict[str, Any]]:
        """What the bot sent: ``chat_id``, ``message_id``, ``text``, ``reply_to``."""
        with self.lock:
            return [dict(s) for s in self.store.sent]

    def state(self) -> dict[str, Any]:
        with self.lock:
            counts, calls = self.store.counts(), len(self.requests)
        return {
            "url": self.url,
            "bot": {"id": self.store.bot["id"], "username": self.store.bot["username"]},
            **counts,
            "requests": calls,
            "faults": self.faults(),
            "replay": self.replays.state(),
        }

    def replay(self, *, backlog: int = 6, interval: float = 20.0) -> Replayer:
        return self.replays.start(Replayer(self, backlog=backlog, interval=interval))

    def stop(self) -> None:
        self.replays.stop()
        self.webhook.stop()
        with self.changed:
            self.changed.notify_all()
        super().stop()


def main(argv: list[str] | None = None) -> int:
    """Serve the sandbox until SIGTERM or SIGINT, printing its URL first."""
    p = _cli.parser("telegram", "Loopback Telegram Bot API.", port=8704, backlog=6, interval=20.0)
    p.add_argument("--token", default=DEFAULT_TOKEN, help="the bot token the sandbox accepts")
    p.add_argument("--username", default="AcmeCareBot", help="the bot's username")
    args = _cli.parse(p, argv)
    if not TOKEN.match(args.token):
        p.error("--token must have the form <bot id>:<secret>")
    sandbox = TelegramSandbox(
        args.token, username=args.username, id_base=world_base(), host=args.host, port=args.port
    )
    return _cli.serve(sandbox, args, "Telegram", args.username)


if __name__ == "__main__":
    raise SystemExit(main())
