"""The Mastodon sandbox's control API under ``/_sandbox/``: no auth, loopback only, never logged nor faulted.

Every endpoint mirrors a method of ``MastodonSandbox``; bodies are JSON and errors are
``{"error": "..."}`` with status 400.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connectors.sandbox._control import Control, common_routes, safely
from connectors.sandbox._server import Reply

if TYPE_CHECKING:
    from connectors.sandbox.mastodon.server import MastodonSandbox


def control_routes(sandbox: MastodonSandbox) -> list[tuple[str, str, Control]]:
    """``(method, path, handler)`` for every control endpoint."""

    def account(body: dict[str, Any]) -> Reply:
        ident = sandbox.add_user(
            body["handle"], name=body.get("name"), followers=int(body.get("followers", 0))
        )
        return Reply(201, {"id": ident})

    def mention(body: dict[str, Any]) -> Reply:
        if "raw" in body:
            return Reply(
                201, {"id": sandbox.add_raw_mention(body["raw"], author=body.get("author", "customer"))}
            )
        status_id = sandbox.add_mention(
            body["text"],
            author=body.get("author", "customer"),
            in_reply_to=body.get("in_reply_to"),
            created_at=body.get("created_at"),
            language=body.get("language", "en"),
            visibility=body.get("visibility", "public"),
            spoiler_text=body.get("spoiler_text", ""),
        )
        return Reply(201, {"id": status_id})

    def post(body: dict[str, Any]) -> Reply:
        status_id = sandbox.add_post(
            body["text"],
            author=body.get("author", "customer"),
            in_reply_to=body.get("in_reply_to"),
            created_at=body.get("created_at"),
            language=body.get("language", "en"),
            visibility=body.get("visibility", "public"),
        )
        return Reply(201, {"id": status_id})

    def dm(body: dict[str, Any]) -> Reply:
        status_id = sandbox.add_dm(
            body["text"],
            sender=body.get("sender", "customer"),
            recipient=body.get("recipient"),
            in_reply_to=body.get("in_reply_to"),
            created_at=body.get("created_at"),
            language=body.get("language", "en"),
        )
        return Reply(201, {"id": status_id})

    def quote(body: dict[str, Any]) -> Reply:
        status_id = sandbox.add_quote(
            body["text"],
            str(body["quote_of"]),
            author=body.get("author", "customer"),
            created_at=body.get("created_at"),
        )
        return Reply(201, {"id": status_id})

    def edit(body: dict[str, Any]) -> Reply:
        sandbox.edit_status(str(body["id"]), body["text"], at=body.get("edited_at"))
        return Reply(200, {"edited": body["id"]})

    def delete(body: dict[str, Any]) -> Reply:
        gone = sandbox.delete_status(str(body["id"]))
        return Reply(200, {"deleted": body["id"]}) if gone else Reply(404, {"error": "Record not found"})

    return [
        ("GET", "/_sandbox/sent", lambda _: Reply(200, {"statuses": sandbox.sent})),
        ("POST", "/_sandbox/accounts", safely(account)),
        ("POST", "/_sandbox/mentions", safely(mention)),
        ("POST", "/_sandbox/posts", safely(post)),
        ("POST", "/_sandbox/dms", safely(dm)),
        ("POST", "/_sandbox/quotes", safely(quote)),
        ("POST", "/_sandbox/edits", safely(edit)),
        ("POST", "/_sandbox/deletions", safely(delete)),
        *common_routes(sandbox, api_prefix="/api/", backlog=40, interval=15.0),
    ]
