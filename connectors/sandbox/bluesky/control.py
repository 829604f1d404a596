"""The Bluesky sandbox's control API under ``/_sandbox/``: loopback only, never logged nor faulted.

Every endpoint mirrors a method of ``BlueskySandbox``; bodies are JSON and errors ``{"error": "..."}`` (400).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.sandbox._control import Control, common_routes, safely
from connectors.sandbox._server import Reply

if TYPE_CHECKING:
    from connectors.sandbox.bluesky.server import BlueskySandbox


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

    def refuse(body: dict[str, Any]) -> Reply:
        status = body.get("status", 500)
        convo = sandbox.refuse_convo(str(body["handle"]), int(status) if status is not None else None)
        return Reply(201, {"convo_id": convo})

    def delete(body: dict[str, Any]) -> Reply:
        gone = sandbox.delete_post(str(body["uri"]))
        return Reply(200, {"deleted": body["uri"]}) if gone else Reply(404, {"error": "RecordNotFound"})

    return [
        (
            "GET",
            "/_sandbox/sent",
            lambda _: Reply(200, {"posts": sandbox.sent_posts, "messages": sandbox.sent_messages}),
        ),
        ("POST", "/_sandbox/accounts", safely(account)),
        ("POST", "/_sandbox/posts", safely(post)),
        ("POST", "/_sandbox/dms", safely(dm)),
        ("POST", "/_sandbox/notifications", safely(raw)),
        ("POST", "/_sandbox/deletions", safely(delete)),
        ("POST", "/_sandbox/refused-convos", safely(refuse)),
        ("POST", "/_sandbox/expire-sessions", lambda _: Reply(200, {"expired": sandbox.expire_sessions()})),
        *common_routes(sandbox, api_prefix="/xrpc/", backlog=6, interval=25.0),
    ]
