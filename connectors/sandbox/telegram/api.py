"""The Bot API methods of the Telegram sandbox: parameters read as Telegram reads them, answers in its shape.

Parameters come from the query string, a form or a JSON body; method names are case-insensitive. Success is
``{"ok": true, "result": ...}``; failure ``{"ok": false, "error_code", "description"[, "parameters"]}`` with
the HTTP status equal to ``error_code``. No I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from connectors.sandbox._server import Reply, Request
from connectors.sandbox.telegram.store import TelegramStore

TEXT_LIMIT = 4096


class ApiError(Exception):
    """A Bot API failure: ``error_code`` and ``description`` as Telegram words them."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


def ok(result: Any) -> Reply:
    return Reply(200, {"ok": True, "result": result})


def failure(code: int, description: str, parameters: dict[str, Any] | None = None) -> Reply:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Reply(code, body)


def params_of(req: Request) -> dict[str, Any]:
    """Query string, then form or JSON body (a JSON body keeps its types; the others are strings)."""
    params: dict[str, Any] = {k: v[0] for k, v in req.query.items() if v}
    kind = req.headers.get("content-type", "").split(";")[0].strip()
    if req.body and kind == "application/json":
        body = json.loads(req.body)
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the body must be a JSON object")
        params.update(body)
    elif req.body and kind == "application/x-www-form-urlencoded":
        params.update({k: v[0] for k, v in parse_qs(req.body.decode(), keep_blank_values=True).items()})
    return params


def _int(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f'Bad Request: field "{name}" must be of type Integer') from None


def _json_param(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    return value


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class BotApi:
    """getMe, getUpdates (with long-poll ``wait``), sendMessage; ``wait(seconds)`` is given by the server."""

    def __init__(self, store: TelegramStore, wait: Callable[[float], None]) -> None:
        self.store, self.wait = store, wait
        self.methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getme": self.get_me,
            "getupdates": self.get_updates,
            "sendmessage": self.send_message,
        }

    def get_me(self, params: dict[str, Any]) -> Any:
        return {**self.store.bot, "can_join_groups": False, "supports_inline_queries": False}

    def get_updates(self, params: dict[str, Any]) -> Any:
        offset = _int(params, "offset")
        limit = max(1, min(100, _int(params, "limit", 100) or 100))
        timeout = max(0, min(50, _int(params, "timeout", 0) or 0))
        allowed = _json_param(params, "allowed_updates")
        if allowed is not None and not (
            isinstance(allowed, list) and all(isinstance(a, str) for a in allowed)
        ):
            raise ApiError(400, "Bad Request: allowed_updates must be an Array of String")
        self.store.confirm(offset)
        found = self.store.pending(limit, allowed)
        if not found and timeout:
            self.wait(float(timeout))
            found = self.store.pending(limit, None)
        return found

    def send_message(self, params: dict[str, Any]) -> Any:
        chat_id = _int(params, "chat_id")
        text = params.get("text")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_length(text) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        if chat_id in self.store.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.store.migrated[chat_id]},
            )
        if chat_id not in self.store.users and chat_id not in self.store.groups:
            raise ApiError(400, "Bad Request: chat not found")
        reply = _json_param(params, "reply_parameters")
        reply_to = None
        if reply is not None:
            if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
                raise ApiError(400, "Bad Request: can't parse reply parameters JSON object")
            if (chat_id, reply["message_id"]) in self.store.messages:
                reply_to = reply["message_id"]
            elif not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
        return self.store.send(chat_id, text, reply_to)

    def handle(self, method: str, req: Request) -> Reply:
        """Run one method; every failure becomes Telegram's error shape."""
        handler = self.methods.get(method.lower())
        if handler is None:
            return failure(404, "Not Found")
        try:
            return ok(handler(params_of(req)))
        except ApiError as exc:
            return failure(exc.code, exc.description, exc.parameters)
        except ValueError:
            return failure(400, "Bad Request: can't parse JSON body")
