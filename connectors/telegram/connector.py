"""The Telegram connector: a bot's private chats through the Bot API (requests), polled or by webhook.

Stream ``updates``: ``getUpdates`` with ``offset`` = last update_id + 1 (the cursor, a plain integer string)
and a short long-poll ``timeout``. Telegram forgets an update once a later call carries a higher offset, so
an update whose page was not committed comes again and ingestion, idempotent on the message id, stores it
once. Every chat is private: ``reply_public`` is refused and ``send_private`` calls ``sendMessage``.

Telegram has no idempotency key and a bot cannot read a chat's history, so a send cut off mid-call cannot be
looked up afterwards: this connector has no ``find_delivery``, and the outbox marks such a reply *uncertain*
for a person to check. The bot token is part of every URL: no message here ever quotes a URL. Timeouts,
proxies and network failures: ``connectors._http``.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

import requests

from connectors import _http
from connectors._payload import PayloadError, load_json
from connectors.base import (
    AuthFailed,
    BadPayload,
    Batch,
    ConnectorError,
    ConnectorSpec,
    Identity,
    RateLimited,
    Rejected,
    Sent,
    Unavailable,
    WebhookRejected,
    bounded_wait,
    sent_id,
)
from connectors.capabilities import Closes, ReceivesWebhooks
from connectors.telegram.parse import (
    MAX_UPDATE_ID,
    TEXT_LIMIT,
    chat_moves,
    parse_updates,
    parse_webhook_body,
    telegram_length,
    update_id_of,
)

API = "https://api.telegram.org"
SECRET_HEADER = "x-telegram-bot-api-secret-token"
ALLOWED_UPDATES = ["message", "edited_message"]
DEFAULT_POLL_SECONDS = 1  # long-poll wait per call: short, so one channel never holds the listener up


class TelegramConnector(ReceivesWebhooks, Closes):
    """Reads and writes one Telegram bot. Knows nothing of the store."""

    def __init__(
        self,
        name: str,
        *,
        bot_token: str,
        webhook_secret: str | None = None,
        base_url: str | None = None,
        page_size: int = 100,
        poll_seconds: int = DEFAULT_POLL_SECONDS,
        polling: bool = True,
        session: requests.Session | None = None,
        timeout: _http.Timeout | None = None,
    ) -> None:
        bot_id, sep, _ = bot_token.partition(":")
        if not sep or not bot_id.isdigit():
            raise ValueError(f"channel {name!r}: a Telegram bot token has the form <bot id>:<secret>")
        self.name, self.bot_id = name, bot_id
        self.streams: tuple[str, ...] = ("updates",) if polling else ()  # a webhook bot is never polled
        self._token, self._webhook_secret = bot_token, webhook_secret
        self.base_url = (base_url or API).rstrip("/")
        self.page_size, self.poll_seconds = max(1, min(100, page_size)), max(0, poll_seconds)
        self.timeout = timeout or (5.0, 10.0 + self.poll_seconds)  # the read outlasts the long poll
        self.session = _http.mount(session, timeout=self.timeout)

    @property
    def _where(self) -> str:
        return f"Telegram channel {self.name!r}"

    # --- HTTP ----------------------------------------------------------------------------------
    def call(self, method: str, params: Mapping[str, Any]) -> Any:
        """POST one Bot API method as JSON; its ``result``, or the typed error for its failure."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        where = self._where
        response = _http.request(
            self.session, "POST", url, where=where, json=dict(params), timeout=self.timeout
        )
        return self._result(method, response)

    def _result(self, method: str, response: requests.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, Mapping) and body.get("ok") is True:
            return body.get("result")
        if not isinstance(body, Mapping) or "ok" not in body:
            raise not_telegram(self.name, method, response.status_code, response.headers)
        raise error_for(self.name, method, response.status_code, body, response.headers)

    # --- Connector -----------------------------------------------------------------------------
    def whoami(self) -> Identity:
        me = self.call("getMe", {})
        if not isinstance(me, Mapping):
            raise ConnectorError("Telegram getMe answered without a user")
        return Identity(
            platform_id=str(me.get("id")), handle=str(me.get("username")), display_name=me.get("first_name")
        )

    def fetch(self, stream: str, cursor: str | None) -> Batch:
        if stream != "updates":
            raise ValueError(f"unknown Telegram stream {stream!r}")
        params: dict[str, Any] = {
            "limit": self.page_size,
            "timeout": self.poll_seconds,
            "allowed_updates": ALLOWED_UPDATES,
        }
        if cursor and 0 < int(cursor) <= MAX_UPDATE_ID + 1:  # an offset spoilt by a poison id: read afresh
            params["offset"] = int(cursor)
        updates = self.call("getUpdates", params)
        if not isinstance(updates, list):
            raise ConnectorError("Telegram getUpdates answered without a list of updates")
        items, bad = parse_updates(updates, channel=self.name, bot_id=self.bot_id)
        ids = [i for i in (update_id_of(u) for u in updates) if i is not None]
        next_cursor = str(max(ids) + 1) if ids else cursor
        more = len(updates) >= self.page_size
        moves = chat_moves(updates)
        return Batch(items, next_cursor, more, bad, len(updates), chat_moves=moves)

    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent:
        """A reply in the group where ``to_external_id`` (``"<chat>:<message>"``) was said, quoting it. A
        private chat has no public replies (group chat ids are negative, users' positive)."""
        chat, _, message = to_external_id.partition(":")
        if not chat.startswith("-") or not message.split(":")[0].isdigit():
            raise Rejected(
                f"Telegram channel {self.name!r}: a private chat with the bot has no public replies; "
                "send a private message instead"
            )
        check_text(text)
        reply = {"message_id": int(message.split(":")[0]), "allow_sending_without_reply": True}
        try:
            sent = self.call("sendMessage", {"chat_id": int(chat), "text": text, "reply_parameters": reply})
        except Migrated as moved:  # refused, so not posted: once to the supergroup, quoting nothing there
            chat = str(moved.chat_id)
            sent = self.call("sendMessage", {"chat_id": moved.chat_id, "text": text})
        if not isinstance(sent, Mapping):
            raise ConnectorError("Telegram sendMessage answered without a message")
        return Sent(external_id=f"{chat}:{sent_id(sent.get('message_id'), self._where)}")

    def send_private(
        self, recipient_id: str, text: str, *, idempotency_key: str, reply_to: str | None = None
    ) -> Sent:
        """``sendMessage`` to chat ``recipient_id``; ``reply_to`` (``"<chat>:<message>"``) quotes it."""
        check_text(text)
        params: dict[str, Any] = {"chat_id": recipient_id, "text": text}
        if reply_to:
            chat, _, message = reply_to.partition(":")
            if chat == str(recipient_id) and message.isdigit():
                params["reply_parameters"] = {"message_id": int(message), "allow_sending_without_reply": True}
        message_obj = self.call("sendMessage", params)
        if not isinstance(message_obj, Mapping):
            raise ConnectorError("Telegram sendMessage answered without a message")
        chat_obj = message_obj.get("chat")
        chat_id = str(chat_obj.get("id", recipient_id) if isinstance(chat_obj, Mapping) else recipient_id)
        message_id = sent_id(message_obj.get("message_id"), self._where)
        return Sent(external_id=f"{chat_id}:{message_id}", thread_key=chat_id)

    # --- ReceivesWebhooks ----------------------------------------------------------------------
    def webhook_handshake(self, query: Mapping[str, str]) -> tuple[int, str, str] | None:
        """Telegram has no subscription handshake (setWebhook is called by us)."""
        return None

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        """The ``X-Telegram-Bot-Api-Secret-Token`` header must equal the channel's ``webhook_secret``."""
        if not self._webhook_secret:
            raise WebhookRejected(
                f"Telegram channel {self.name!r} has no webhook_secret credential: webhooks are refused",
                status=403,
            )
        given = next((v for k, v in headers.items() if k.lower() == SECRET_HEADER), None)
        if not given:
            raise WebhookRejected("missing X-Telegram-Bot-Api-Secret-Token header", status=401)
        if not hmac.compare_digest(given.encode(), self._webhook_secret.encode()):
            raise WebhookRejected("wrong X-Telegram-Bot-Api-Secret-Token", status=403)

    def parse_webhook(self, body: bytes) -> Batch:
        items, bad = parse_webhook_body(body, channel=self.name, bot_id=self.bot_id)
        moves = chat_moves([_update_of(body)])
        return Batch(items, None, False, bad, len(items) + len(bad), chat_moves=moves)

    def close(self) -> None:
        self.session.close()


def _update_of(body: bytes) -> Any:
    try:
        return load_json(body)
    except PayloadError:
        return None


class Migrated(Rejected):
    """400 "group chat was upgraded to a supergroup chat": the group now lives at ``chat_id``."""

    def __init__(self, message: str, *, chat_id: int) -> None:
        super().__init__(message)
        self.chat_id = chat_id


def check_text(text: str) -> None:
    """Rejected unless 1 to 4,096 UTF-16 code units (Telegram's limit, checked before any call)."""
    if not text.strip():
        raise Rejected("a Telegram message cannot be empty")
    length = telegram_length(text)
    if length > TEXT_LIMIT:
        raise Rejected(f"a Telegram message is at most {TEXT_LIMIT} characters; this one has {length}")


def not_telegram(
    channel: str, method: str, status: int, headers: Mapping[str, str] | None = None
) -> ConnectorError:
    """The error for an answer that is not the Bot API's JSON (a gateway's or a proxy's HTML page, under any
    status): a bad token or URL (401, 404) needs a person; otherwise nobody knows whether Telegram acted,
    so it is ``BadPayload``, retried (no sooner than a 429's or 5xx's ``Retry-After``: a gateway in
    maintenance says when to come back), and a send that got it may have been posted (never a refusal)."""
    detail = f"Telegram channel {channel!r}: {method} answered {status} without the Bot API's JSON"
    if status in (401, 404):
        return AuthFailed(f"{detail}: check the channel's bot_token and base_url")
    wait = _http.retry_after(headers or {}) if status == 429 or status >= 500 else None
    return BadPayload(detail, retry_after=wait)


def error_for(
    channel: str, method: str, status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> ConnectorError:
    """The typed error for a failed call (``{"ok": false, "error_code", "description", "parameters"}``)."""
    given = body.get("error_code")
    code = given if isinstance(given, int) else status
    description = str(body.get("description") or f"HTTP {status}")[:300]
    parameters = body.get("parameters")
    parameters = parameters if isinstance(parameters, Mapping) else {}
    detail = f"Telegram channel {channel!r}: {method} failed ({code} {description})"
    if code == 429:
        wait = parameters.get("retry_after")
        retry_after = bounded_wait(wait) if isinstance(wait, int | float) else None
        retry_after = 30.0 if retry_after is None else retry_after
        return RateLimited(f"{detail}; retry in {retry_after:.0f}s", retry_after=retry_after)
    if code in (401, 404):  # Telegram answers 404 for an unknown or malformed token
        return AuthFailed(f"{detail}: Telegram refused the bot token; check the channel's bot_token")
    if code >= 500 or status >= 500:  # a Retry-After (maintenance) is waited for
        return Unavailable(detail, retry_after=_http.retry_after(headers or {}))
    moved = parameters.get("migrate_to_chat_id")
    if isinstance(moved, int) and not isinstance(moved, bool) and moved < 0:
        return Migrated(f"{detail}; the group is now chat {moved}", chat_id=moved)
    return Rejected(detail)


def build(spec: ConnectorSpec) -> TelegramConnector:
    """The Telegram connector for one channel. Options: ``poll_seconds`` (long-poll wait, 0-50, default 1),
    ``polling`` (default true; false when the bot receives updates by webhook, ``inbox webhooks``)."""
    poll, polling = spec.options.get("poll_seconds", DEFAULT_POLL_SECONDS), spec.options.get("polling", True)
    if not isinstance(poll, int) or isinstance(poll, bool) or not 0 <= poll <= 50:
        raise ValueError(f"channel {spec.name!r}: option poll_seconds must be an integer from 0 to 50")
    if not isinstance(polling, bool):
        raise ValueError(f"channel {spec.name!r}: option polling must be true or false")
    return TelegramConnector(
        spec.name,
        bot_token=spec.credentials["bot_token"],
        webhook_secret=spec.credentials.get("webhook_secret") or None,
        base_url=spec.base_url,
        page_size=spec.page_size,
        poll_seconds=poll,
        polling=polling,
    )
