"""The Meta sandbox's HTTP control API under ``/_sandbox/``: no auth, loopback only, never logged nor faulted.

Every endpoint mirrors a method of ``MetaSandbox``; bodies are JSON and errors ``{"error": "..."}`` (400).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connectors.sandbox._control import Control, common_routes, safely
from connectors.sandbox._server import Reply, Request

if TYPE_CHECKING:
    from connectors.sandbox.meta.server import MetaSandbox


def control_routes(sandbox: MetaSandbox) -> list[tuple[str, str, Control]]:
    """``(method, path, handler)`` for every control endpoint."""

    def post(body: dict[str, Any]) -> Reply:
        ident = sandbox.add_post(body.get("text", "A new post"), platform=body.get("platform", "facebook"))
        return Reply(201, {"id": ident})

    def comment(body: dict[str, Any]) -> Reply:
        ident = sandbox.add_comment(
            body["text"],
            platform=body.get("platform", "facebook"),
            author=body.get("author", "Jeanne Client"),
            author_id=body.get("author_id"),
            on=body.get("on"),
            reply_to=body.get("reply_to"),
            created_at=body.get("created_at"),
            push=bool(body.get("push", True)),
            photo=body.get("photo"),
        )
        return Reply(201, {"id": ident})

    def message(body: dict[str, Any]) -> Reply:
        ident = sandbox.add_message(
            body["text"],
            platform=body.get("platform", "messenger"),
            sender=body.get("sender"),
            name=body.get("name", "Jeanne Client"),
            created_at=body.get("created_at"),
            push=bool(body.get("push", True)),
        )
        return Reply(201, {"id": ident})

    def message_edit(body: dict[str, Any]) -> Reply:
        sandbox.edit_message(body["id"], body["text"], at=body.get("at"))
        return Reply(200, {"id": body["id"]})

    def message_delete(body: dict[str, Any]) -> Reply:
        sandbox.delete_message(body["id"], at=body.get("at"))
        return Reply(200, {"id": body["id"]})

    def number_change(body: dict[str, Any]) -> Reply:
        sandbox.change_number(body["from"], body["to"], at=body.get("at"))
        return Reply(200, {"wa_id": body["to"]})

    def webhook(body: dict[str, Any]) -> Reply:
        sandbox.set_webhook(
            body.get("url"), platform=body.get("platform", "*"), app_secret=body.get("app_secret")
        )
        return Reply(200, {"urls": dict(sandbox.pusher.urls)})

    def messages(_: Request) -> Reply:
        with sandbox.lock:
            rows = [{**m, "created_at": m["created_at"].isoformat()} for m in sandbox.store.messages]
        return Reply(200, {"messages": rows})

    return [
        ("GET", "/_sandbox/sent", lambda _: Reply(200, {"sent": sandbox.sent})),
        ("GET", "/_sandbox/hidden", lambda _: Reply(200, {"hidden": sandbox.hidden})),
        ("GET", "/_sandbox/messages", messages),
        (
            "GET",
            "/_sandbox/deliveries",
            lambda _: Reply(200, {"deliveries": list(sandbox.pusher.deliveries)}),
        ),
        ("POST", "/_sandbox/post", safely(post)),
        ("POST", "/_sandbox/comment", safely(comment)),
        ("POST", "/_sandbox/message", safely(message)),
        ("POST", "/_sandbox/message_edit", safely(message_edit)),
        ("POST", "/_sandbox/message_delete", safely(message_delete)),
        ("POST", "/_sandbox/number_change", safely(number_change)),
        ("POST", "/_sandbox/webhook", safely(webhook)),
        *common_routes(sandbox, api_prefix="/", backlog=10, interval=20.0),
    ]
