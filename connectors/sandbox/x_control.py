"""The X sandbox's HTTP control API under ``/_sandbox/``: no auth, loopback only, never logged nor faulted.

For when the sandbox runs as its own process (demo, browser and kill tests). Every endpoint mirrors a
method of ``XSandbox``; bodies are JSON and errors are ``{"error": "..."}`` with status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from connectors.sandbox._server import Reply, Request

if TYPE_CHECKING:
    from connectors.sandbox.x import XSandbox

Control = Callable[[Request], Reply]


def _body(req: Request) -> dict[str, Any]:
    body = req.json()
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def _safely(fn: Callable[[dict[str, Any]], Reply]) -> Control:
    def handle(req: Request) -> Reply:
        try:
            return fn(_body(req))
        except (KeyError, TypeError, ValueError) as exc:
            return Reply(400, {"error": f"{type(exc).__name__}: {exc}"})

    return handle


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

    def dm(body: dict[str, Any]) -> Reply:
        event_id = sandbox.add_dm(
            body["text"],
            sender=body.get("sender", "customer"),
            recipient=body.get("recipient"),
            created_at=body.get("created_at"),
        )
        return Reply(201, {"id": event_id})

    def fault(body: dict[str, Any]) -> Reply:
        if body.get("clear"):
            sandbox.clear_faults()
        else:
            status = body.get("status")
            sandbox.inject_fault(
                body.get("path_prefix") or body.get("path") or "/2/",
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
        (
            "GET",
            "/_sandbox/sent",
            lambda _: Reply(200, {"tweets": sandbox.sent_tweets, "dms": sandbox.sent_dms}),
        ),
        ("POST", "/_sandbox/users", _safely(user)),
        ("POST", "/_sandbox/mentions", _safely(mention)),
        ("POST", "/_sandbox/posts", _safely(post)),
        ("POST", "/_sandbox/dms", _safely(dm)),
        ("POST", "/_sandbox/faults", _safely(fault)),
        ("DELETE", "/_sandbox/faults", clear_faults),
        ("POST", "/_sandbox/replay", _safely(replay)),
    ]
