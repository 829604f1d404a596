"""The X sandbox's HTTP control API under ``/_sandbox/``: no auth, loopback only, never logged nor faulted.

For when the sandbox runs as its own process (demo, browser and kill tests). Every endpoint mirrors a
method of ``XSandbox``; bodies are JSON and errors are ``{"error": "..."}`` with status 400.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connectors.sandbox._control import Control, common_routes, safely
from connectors.sandbox._server import Reply

if TYPE_CHECKING:
    from connectors.sandbox.x.server import XSandbox


def control_routes(sandbox: XSandbox) -> list[tuple[str, str, Control]]:
    """``(method, path, handler)`` for every control endpoint."""

    def user(body: dict[str, Any]) -> Reply:
        uid = sandbox.add_user(body["handle"], name=body.get("name"), followers=int(body.get("followers", 0)))
        return Reply(201, {"id": uid})

    def mention(body: dict[str, Any]) -> Reply:
        if "raw" in body:
            return Reply(201, {"id": sandbox.add_raw_mention(body["raw"], fill=bool(body.get("fill", True)))})
        tweet_id = sandbox.add_mention(
            body["text"],
            author=body.get("author", "customer"),
            in_reply_to=body.get("in_reply_to"),
            quote_of=body.get("quote_of"),
            retweet_of=body.get("retweet_of"),
            created_at=body.get("created_at"),
            lang=body.get("lang", "en"),
        )
        return Reply(201, {"id": tweet_id})

    def post(body: dict[str, Any]) -> Reply:
        tweet_id = sandbox.add_post(
            body["text"],
            author=body.get("author", "customer"),
            lang=body.get("lang", "en"),
            created_at=body.get("created_at"),
        )
        return Reply(201, {"id": tweet_id})

    def edit(body: dict[str, Any]) -> Reply:
        new_id = sandbox.edit_tweet(body["tweet_id"], body["text"], at=body.get("created_at"))
        return Reply(201, {"id": new_id})

    def dm(body: dict[str, Any]) -> Reply:
        event_id = sandbox.add_dm(
            body["text"],
            sender=body.get("sender", "customer"),
            recipient=body.get("recipient"),
            created_at=body.get("created_at"),
        )
        return Reply(201, {"id": event_id})

    return [
        (
            "GET",
            "/_sandbox/sent",
            lambda _: Reply(200, {"tweets": sandbox.sent_tweets, "dms": sandbox.sent_dms}),
        ),
        ("POST", "/_sandbox/users", safely(user)),
        ("POST", "/_sandbox/mentions", safely(mention)),
        ("POST", "/_sandbox/posts", safely(post)),
        ("POST", "/_sandbox/edits", safely(edit)),
        ("POST", "/_sandbox/dms", safely(dm)),
        *common_routes(sandbox, api_prefix="/2/", backlog=40, interval=15.0),
    ]
