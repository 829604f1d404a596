"""The Bluesky sandbox's control API under ``/_sandbox/`` (loopback only, never logged nor faulted), and its
demo replay: the synthetic French and English customer lines of the Telegram sandbox, as mentions and DMs.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from connectors.sandbox._control import Control, common_routes, safely
from connectors.sandbox._server import Reply
from connectors.sandbox.telegram.replay import CUSTOMERS, LINES

if TYPE_CHECKING:
    from connectors.sandbox.bluesky.server import BlueskySandbox

DM_EVERY = 4  # one line in four arrives as a chat message


def _when(body: dict[str, Any]) -> datetime | None:
    value = body.get("created_at")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def control_routes(sandbox: BlueskySandbox) -> list[tuple[str, str, Control]]:
    """``(method, path, handler)`` for every control endpoint."""

    def account(body: dict[str, Any]) -> Reply:
        did = sandbox.add_account(body["handle"], body.get("display_name"), dms_open=body.get("dms_open"))
        return Reply(201, {"did": did})

    def post(body: dict[str, Any]) -> Reply:
        uri = sandbox.add_post(
            str(body["text"]),
            author=str(body.get("author", "customer.bsky.social")),
            reply_to=body.get("reply_to"),
            replies_closed=bool(body.get("replies_closed", False)),
            quote_of=body.get("quote_of"),
            at=_when(body),
        )
        return Reply(201, {"uri": uri})

    def dm(body: dict[str, Any]) -> Reply:
        return Reply(
            201, {"id": sandbox.add_dm(str(body["text"]), sender=str(body.get("sender")), at=_when(body))}
        )

    def raw(body: dict[str, Any]) -> Reply:
        sandbox.add_raw_notification(dict(body["notification"]))
        return Reply(201, {})

    return [
        ("GET", "/_sandbox/state", lambda _: Reply(200, sandbox.state())),
        (
            "GET",
            "/_sandbox/sent",
            lambda _: Reply(200, {"posts": sandbox.sent_posts, "messages": sandbox.sent_messages}),
        ),
        ("POST", "/_sandbox/accounts", safely(account)),
        ("POST", "/_sandbox/posts", safely(post)),
        ("POST", "/_sandbox/dms", safely(dm)),
        ("POST", "/_sandbox/notifications", safely(raw)),
        ("POST", "/_sandbox/expire-sessions", lambda _: Reply(200, {"expired": sandbox.expire_sessions()})),
        *common_routes(sandbox, api_prefix="/xrpc/", backlog=6, interval=25.0),
    ]


class Replayer:
    """Seeds ``backlog`` items over the past hour, then one every ``interval`` seconds until stopped."""

    def __init__(self, sandbox: BlueskySandbox, *, backlog: int = 6, interval: float = 25.0) -> None:
        self.sandbox, self.backlog, self.interval = sandbox, backlog, interval
        self.released = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def release(self, at: datetime | None = None) -> str:
        line = LINES[self.released % len(LINES)]
        who = CUSTOMERS[line.customer % len(CUSTOMERS)]
        handle = f"{(who.username or who.first_name).lower().replace('_', '-')}.bsky.social"
        name = " ".join(n for n in (who.first_name, who.last_name) if n)
        self.sandbox.add_account(handle, name)
        self.released += 1
        if self.released % DM_EVERY == 0:
            return self.sandbox.add_dm(line.text, sender=handle, at=at)
        brand = self.sandbox.store.brand.handle
        return self.sandbox.add_post(f"@{brand} {line.text}", author=handle, at=at)

    def start(self) -> Replayer:
        now = datetime.now(UTC)
        step = timedelta(hours=1) / max(self.backlog, 1)
        for i in range(self.backlog):
            self.release(now - timedelta(hours=1) + step * i)
        if self.interval > 0:
            self._thread = threading.Thread(target=self._run, daemon=True, name="bluesky-replay")
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.release()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
