"""Control endpoints every sandbox shares (``/_sandbox/state``, ``faults``, ``replay``), and the body guard.

A body that is not a JSON object, or misses a key, is a 400 with the error, never a crash of the sandbox; so
is a naive ``created_at`` (``as_time``, which the sandboxes' Python control APIs use too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from connectors.sandbox._server import Reply, Request

Control = Callable[[Request], Reply]
Route = tuple[str, str, Control]


class _Sandbox(Protocol):
    def inject_fault(
        self,
        path_prefix: str,
        *,
        status: int | None = ...,
        count: int = ...,
        delay: float = ...,
        headers: dict[str, str] | None = ...,
        body: Any = ...,
        after: bool = ...,
        drop: bool = ...,
        content_type: str | None = ...,
        cut: bool = ...,
        method: str | None = ...,
        proxy: bool = ...,
        skip: int = ...,
    ) -> None: ...

    def clear_faults(self) -> None: ...

    def faults(self) -> list[dict[str, Any]]: ...

    def replay(self, *, backlog: int, interval: float) -> Any: ...

    def state(self) -> dict[str, Any]: ...


def as_time(value: datetime | str | None) -> datetime:
    """An added item's time: aware UTC from a datetime, an ISO 8601 string or None (now); naive is refused."""
    if value is None:
        return datetime.now(UTC)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"created_at must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


def safely(fn: Callable[[dict[str, Any]], Reply]) -> Control:
    """A handler of the request's JSON object; bad input is a 400 naming the problem."""

    def handle(req: Request) -> Reply:
        try:
            body = req.json()
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            return fn(body)
        except (KeyError, TypeError, ValueError) as exc:
            return Reply(400, {"error": f"{type(exc).__name__}: {exc}"})

    return handle


def _fault_body(body: dict[str, Any]) -> Any:
    """The answer's body a fault names: ``text`` sent as its UTF-8 bytes (an HTML page, a cut JSON), or
    ``body`` as JSON (``null``, a list, a string); None keeps the platform's error body."""
    if body.get("text") is not None:
        return str(body["text"]).encode()
    return body.get("body")


def common_routes(sandbox: _Sandbox, *, api_prefix: str, backlog: int, interval: float) -> list[Route]:
    """GET ``/_sandbox/state`` (the sandbox's counts), POST/DELETE ``/_sandbox/faults`` (429, 5xx or a delay
    on paths under a prefix, ``count`` times; with ``after`` once the request was handled, and ``drop`` closes
    the connection without an answer; ``text`` or ``body`` the answer's body, ``content_type`` its type,
    ``cut`` half of it sent under the whole one's length, ``method`` only that method's requests, ``proxy``
    none of the platform's own error shape, ``skip`` that many requests let through first) and POST
    ``/_sandbox/replay`` (seed ``backlog`` customer items, then one every ``interval`` seconds)."""

    def fault(body: dict[str, Any]) -> Reply:
        if body.get("clear"):
            sandbox.clear_faults()
            return Reply(201, {"faults": sandbox.faults()})
        status = body.get("status")
        sandbox.inject_fault(
            str(body.get("path_prefix") or body.get("path") or api_prefix),
            status=int(status) if status is not None else None,
            count=int(body.get("count", 1)),
            delay=float(body.get("delay", 0.0)),
            headers={str(k): str(v) for k, v in (body.get("headers") or {}).items()},
            body=_fault_body(body),
            after=bool(body.get("after", False)),
            drop=bool(body.get("drop", False)),
            content_type=str(body["content_type"]) if body.get("content_type") else None,
            cut=bool(body.get("cut", False)),
            method=str(body["method"]) if body.get("method") else None,
            proxy=bool(body.get("proxy", False)),
            skip=int(body.get("skip", 0)),
        )
        return Reply(201, {"faults": sandbox.faults()})

    def replay(body: dict[str, Any]) -> Reply:
        replayer = sandbox.replay(
            backlog=int(body.get("backlog", backlog)), interval=float(body.get("interval", interval))
        )
        return Reply(201, {"released": replayer.released})

    def clear_faults(_: Request) -> Reply:
        sandbox.clear_faults()
        return Reply(200, {"faults": []})

    return [
        ("GET", "/_sandbox/state", lambda _: Reply(200, sandbox.state())),
        ("POST", "/_sandbox/faults", safely(fault)),
        ("DELETE", "/_sandbox/faults", clear_faults),
        ("POST", "/_sandbox/replay", safely(replay)),
    ]
