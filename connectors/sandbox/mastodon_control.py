"""The Mastodon sandbox's control API under ``/_sandbox/``: no auth, loopback only, never logged nor faulted.

Every endpoint mirrors a method of ``MastodonSandbox``; bodies are JSON and errors are
``{"error": "..."}`` with status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from connectors.sandbox._server import Reply, Request

if TYPE_CHECKING:
    from connectors.sandbox.mastodon import MastodonSandbox

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

    def fault(body: dict[str, Any]) -> Reply:
        if body.get("clear"):
            sandbox.clear_faults()
        else:
            status = body.get("status")
            sandbox.inject_fault(
                body.get("path_prefix") or body.get("path") or "/api/",
                status=int(status) if status is not None else None,
                count=int(body.get("count", 1)),
                delay=float(body.get("delay", 0.0)),
                headers={str(k): str(v) for k, v in (body.get("headers") or {}).items()},
            )
        return Reply(201, {"faults": sandbox.faults()})

    def replay(body: dict[str, Any]) -> Reply:
        replayer = sandbox.replay(
            backlog=int(body.get("backlog", 40)), interval=float(body.get("interval", 15.0))
        )
        return Reply(201, {"released": replayer.released})

    def clear_faults(_: Request) -> Reply:
        sandbox.clear_faults()
        return Reply(200, {"faults": []})

    return [
        ("GET", "/_sandbox/state", lambda _: Reply(200, sandbox.state())),
        ("GET", "/_sandbox/sent", lambda _: Reply(200, {"statuses": sandbox.sent})),
        ("POST", "/_sandbox/accounts", _safely(account)),
        ("POST", "/_sandbox/mentions", _safely(mention)),
        ("POST", "/_sandbox/posts", _safely(post)),
        ("POST", "/_sandbox/dms", _safely(dm)),
        ("POST", "/_sandbox/faults", _safely(fault)),
        ("DELETE", "/_sandbox/faults", clear_faults),
        ("POST", "/_sandbox/replay", _safely(replay)),
    ]
