"""The Meta sandbox's HTTP control API under ``/_sandbox/``: no auth, loopback only, never logged nor faulted.

Every endpoint mirrors a method of ``MetaSandbox``; bodies are JSON and errors ``{"error": "..."}`` (400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from connectors.sandbox._server import Reply, Request

if TYPE_CHECKING:
    from connectors.sandbox.meta import MetaSandbox

Control = Callable[[Request], Reply]


def _safely(fn: Callable[[dict[str, Any]], Reply]) -> Control:
    def handle(req: Request) -> Reply:
        try:
            body = req.json() if req.body else {}
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            return fn(body)
        except (KeyError, TypeError, ValueError) as exc:
            return Reply(400, {"error": f"{type(exc).__name__}: {exc}"})

    return handle


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

    def webhook(body: dict[str, Any]) -> Reply:
        sandbox.set_webhook(
            body.get("url"), platform=body.get("platform", "*"), app_secret=body.get("app_secret")
        )
        return Reply(200, {"urls": dict(sandbox.pusher.urls)})

    def fault(body: dict[str, Any]) -> Reply:
        if body.get("clear"):
            sandbox.clear_faults()
        else:
            status = body.get("status")
            sandbox.inject_fault(
                body.get("path_prefix") or body.get("path") or "/",
                status=int(status) if status is not None else None,
                count=int(body.get("count", 1)),
                delay=float(body.get("delay", 0.0)),
                headers={str(k): str(v) for k, v in (body.get("headers") or {}).items()},
            )
        return Reply(201, {"faults": sandbox.faults()})

    def replay(body: dict[str, Any]) -> Reply:
        replayer = sandbox.replay(
            backlog=int(body.get("backlog", 10)), interval=float(body.get("interval", 20.0))
        )
        return Reply(201, {"released": replayer.released})

    def clear_faults(_: Request) -> Reply:
        sandbox.clear_faults()
        return Reply(200, {"faults": []})

    def messages(_: Request) -> Reply:
        with sandbox.lock:
            rows = [{**m, "created_at": m["created_at"].isoformat()} for m in sandbox.store.messages]
        return Reply(200, {"messages": rows})

    return [
        ("GET", "/_sandbox/state", lambda _: Reply(200, sandbox.state())),
        ("GET", "/_sandbox/sent", lambda _: Reply(200, {"sent": sandbox.sent})),
        ("GET", "/_sandbox/hidden", lambda _: Reply(200, {"hidden": sandbox.hidden})),
        ("GET", "/_sandbox/messages", messages),
        (
            "GET",
            "/_sandbox/deliveries",
            lambda _: Reply(200, {"deliveries": list(sandbox.pusher.deliveries)}),
        ),
        ("POST", "/_sandbox/post", _safely(post)),
        ("POST", "/_sandbox/comment", _safely(comment)),
        ("POST", "/_sandbox/message", _safely(message)),
        ("POST", "/_sandbox/webhook", _safely(webhook)),
        ("POST", "/_sandbox/faults", _safely(fault)),
        ("DELETE", "/_sandbox/faults", clear_faults),
        ("POST", "/_sandbox/replay", _safely(replay)),
    ]
