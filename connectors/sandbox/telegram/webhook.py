"""Webhook delivery for the Telegram sandbox: setWebhook, deleteWebhook, getWebhookInfo and a pusher thread.

While a webhook is set, ``getUpdates`` answers 409 and each pending update is POSTed, one at a time, as JSON
to the URL with the ``X-Telegram-Bot-Api-Secret-Token`` header; a 2xx confirms it, anything else is retried
after ``retry_seconds`` and reported by getWebhookInfo (``last_error_date``, ``last_error_message``).
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from connectors.sandbox.telegram.api import ApiError

if TYPE_CHECKING:
    from connectors.sandbox.telegram.server import TelegramSandbox

SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class Hook:
    url: str
    secret: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0


class WebhookPusher:
    """The webhook state of one sandbox bot and the thread that delivers its updates."""

    def __init__(self, sandbox: TelegramSandbox, *, retry_seconds: float = 1.0) -> None:
        self.sandbox, self.retry_seconds = sandbox, retry_seconds
        self.hook: Hook | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="telegram-webhook")
        self._thread.start()

    # --- Bot API methods (called under the sandbox's lock) ----------------------------------------
    def set_webhook(self, params: dict[str, Any]) -> Any:
        url, secret = params.get("url"), params.get("secret_token")
        if not url:
            return self.delete_webhook(params)
        if not isinstance(url, str) or not url.startswith(
            ("https://", "http://127.0.0.1", "http://localhost")
        ):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not (isinstance(secret, str) and SECRET.match(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self.sandbox.store.confirm(self.sandbox.store.next_update_id)
        self.hook = Hook(url, secret)
        self.sandbox.changed.notify_all()
        return True

    def delete_webhook(self, params: dict[str, Any]) -> Any:
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self.sandbox.store.confirm(self.sandbox.store.next_update_id)
        self.hook = None
        return True

    def info(self, params: dict[str, Any]) -> Any:
        hook = self.hook
        body: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.sandbox.store.updates),
        }
        if hook and hook.last_error_date:
            body.update(last_error_date=hook.last_error_date, last_error_message=hook.last_error_message)
        if hook:
            body["max_connections"] = 40
        return body

    def guard_polling(self) -> None:
        if self.hook is not None:
            raise ApiError(409, CONFLICT)

    # --- delivery ---------------------------------------------------------------------------------
    def _next(self) -> tuple[Hook, dict[str, Any]] | None:
        with self.sandbox.changed:
            while not self._stop.is_set():
                hook, pending = self.hook, self.sandbox.store.pending(1, None)
                if hook is not None and pending:
                    return hook, pending[0]
                self.sandbox.changed.wait(0.5)
        return None

    def _run(self) -> None:
        while (job := self._next()) is not None:
            hook, update = job
            error = self._post(hook, update)
            with self.sandbox.changed:
                if error is None:
                    hook.delivered += 1
                    self.sandbox.store.confirm(int(update.get("update_id", 0)) + 1)
                    continue
                hook.last_error_date, hook.last_error_message = int(time.time()), error
            self._stop.wait(self.retry_seconds)

    def _post(self, hook: Hook, update: dict[str, Any]) -> str | None:
        """POST one update; None on a 2xx, else the error as getWebhookInfo words it."""
        headers = {"Content-Type": "application/json"}
        if hook.secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret
        request = urllib.request.Request(hook.url, json.dumps(update).encode(), headers, method="POST")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as response:
                return (
                    None
                    if 200 <= response.status < 300
                    else f"Wrong response from the webhook: {response.status}"
                )
        except urllib.error.HTTPError as exc:
            return f"Wrong response from the webhook: {exc.code} {exc.reason}"
        except (urllib.error.URLError, OSError) as exc:
            return f"Connection refused: {exc}"

    def stop(self) -> None:
        self._stop.set()
        with self.sandbox.changed:
            self.sandbox.changed.notify_all()
        self._thread.join(timeout=5)
