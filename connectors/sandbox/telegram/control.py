"""The Telegram sandbox's HTTP control API under ``/_sandbox/``: loopback only, never logged nor faulted.

Every endpoint mirrors a method of ``TelegramSandbox``; bodies are JSON and errors ``{"error": "..."}`` (400).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.sandbox._control import Control, common_routes, safely
from connectors.sandbox._server import Reply

if TYPE_CHECKING:
    from connectors.sandbox.telegram.server import TelegramSandbox


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

    def group_message(body: dict[str, Any]) -> Reply:
        update = sandbox.add_group_message(
            str(body["text"]),
            group_id=int(body.get("group_id", -1001234567890)),
            title=str(body.get("title", "Acme Fans")),
            first_name=str(body.get("first_name", "Customer")),
            username=body.get("username"),
            user_id=_opt_int(body.get("user_id")),
            kind=str(body.get("kind", "supergroup")),
        )
        return Reply(201, update)

    def migrate(body: dict[str, Any]) -> Reply:
        return Reply(201, {"updates": sandbox.migrate_group(int(body["old"]), int(body["new"]))})

    def edit(body: dict[str, Any]) -> Reply:
        return Reply(
            201, sandbox.edit_message(int(body["chat_id"]), int(body["message_id"]), str(body["text"]))
        )

    def raw(body: dict[str, Any]) -> Reply:
        update = body["update"]
        if not isinstance(update, dict):
            raise ValueError("'update' must be a JSON object")
        return Reply(201, sandbox.add_raw_update(update, keep_id=bool(body.get("keep_id", False))))

    return [
        ("GET", "/_sandbox/sent", lambda _: Reply(200, {"messages": sandbox.sent})),
        ("POST", "/_sandbox/messages", safely(message)),
        ("POST", "/_sandbox/group_messages", safely(group_message)),
        ("POST", "/_sandbox/edits", safely(edit)),
        ("POST", "/_sandbox/migrations", safely(migrate)),
        ("POST", "/_sandbox/updates", safely(raw)),
        *common_routes(sandbox, api_prefix="/bot", backlog=6, interval=20.0),
    ]
