"""The Telegram sandbox's HTTP control API under ``/_sandbox/``: loopback only, never logged nor faulted.

Every endpoint mirrors a method of ``TelegramSandbox``; bodies are JSON and errors ``{"error": "..."}`` (400).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.sandbox._server import Reply, Request

if TYPE_CHECKING:
    from connectors.sandbox.telegram import TelegramSandbox

Control = Callable[[Request], Reply]


def _safely(fn: Callable[[dict[str, Any]], Reply]) -> Control:
    def handle(req: Request) -> Reply:
        try:
            body = req.json()
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            return fn(body)
        except (KeyError, TypeError, ValueError) as exc:
            return Reply(400, {"error": f"{type(exc).__name__}: {exc}"})

    return handle


def _opt_int(value: Any) -> int | None:
    return int(value) if value is not None else None


def control_routes(sandbox: TelegramSandbox) -> list[tuple[str, str, Control]]:
    """``(method, path, handler)`` for every control endpoint."""

    def message(body: dict[str, Any]) -> Reply:
        at = body.get("date")
        update = sandbox.add_message(
            str(body["text"]),
            first_name=str(body.get("first_name", "Customer")),
            last_name=body.get("last_name"),
            username=body.get("username"),
            language_code=body.get("language_code"),
            user_id=_opt_int(body.get("user_id")),
            at=datetime.fromisoformat(at) if isinstance(at, str) else None,
            reply_to=_opt_int(body.get("reply_to")),
        )
        return Reply(201, update)

    def edit(body: dict[str, Any]) -> Reply:
        return Reply(
            201, sandbox.edit_message(int(body["chat_id"]), int(body["message_id"]), str(body["text"]))
        )

    def raw(body: dict[str, Any]) -> Reply:
        update = body["update"]
        if not isinstance(update, dict):
            raise ValueError("'update' must be a JSON object")
        return Reply(201, sandbox.add_raw_update(update, keep_id=bool(body.get("keep_id", False))))

    def fault(body: dict[str, Any]) -> Reply:
        status = body.get("status")
        sandbox.inject_fault(
            str(body.get("path_prefix") or "/bot"),
            status=int(status) if status is not None else None,
            count=int(body.get("count", 1)),
            delay=float(body.get("delay", 0.0)),
        )
        return Reply(201, {"faults": sandbox.faults()})

    def replay(body: dict[str, Any]) -> Reply:
        replayer = sandbox.replay(
            backlog=int(body.get("backlog", 6)), interval=float(body.get("interval", 20.0))
        )
        return Reply(201, {"released": replayer.released})

    def clear_faults(_: Request) -> Reply:
        sandbox.clear_faults()
        return Reply(200, {"faults": []})

    return [
        ("GET", "/_sandbox/state", lambda _: Reply(200, sandbox.state())),
        ("GET", "/_sandbox/sent", lambda _: Reply(200, {"messages": sandbox.sent})),
        ("POST", "/_sandbox/messages", _safely(message)),
        ("POST", "/_sandbox/edits", _safely(edit)),
        ("POST", "/_sandbox/updates", _safely(raw)),
        ("POST", "/_sandbox/faults", _safely(fault)),
        ("DELETE", "/_sandbox/faults", clear_faults),
        ("POST", "/_sandbox/replay", _safely(replay)),
    ]
