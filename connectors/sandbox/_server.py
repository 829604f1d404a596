"""A small base for loopback platform fakes: routing, request log, fault injection. Loopback only.

A sandbox subclasses ``LoopbackServer``, registers handlers with ``self.route(method, pattern, fn)``
and returns ``Reply`` objects. ``inject_fault`` makes the next matching requests fail or go slow.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # named groups of the route pattern

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


@dataclass
class Fault:
    prefix: str
    status: int | None
    remaining: int
    delay: float
    headers: dict[str, str]
    body: Any


Handler = Callable[[Request], Reply]


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 serving registered routes; a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._faults: list[Fault] = []
        self.lock = threading.RLock()
        self.requests: list[Request] = []
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method, re.compile(f"^{pattern}$"), handler))

    def inject_fault(
        self,
        prefix: str,
        *,
        status: int | None = None,
        count: int = 1,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
        body: Any = None,
    ) -> None:
        """The next ``count`` requests under ``prefix`` wait ``delay`` seconds, then get ``status``."""
        with self.lock:
            self._faults.append(Fault(prefix, status, count, delay, dict(headers or {}), body))

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def fault_reply(self, fault: Fault) -> Reply:
        """The reply a failing fault sends; sandboxes override it for their platform's error shape."""
        return Reply(
            fault.status or 500,
            fault.body if fault.body is not None else {"error": "injected fault"},
            fault.headers,
        )

    def _take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if fault.remaining > 0 and path.startswith(fault.prefix):
                    fault.remaining -= 1
                    return fault
        return None

    def dispatch(self, req: Request) -> Reply:
        with self.lock:
            self.requests.append(req)
        fault = self._take_fault(req.path)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status is not None:
                return self.fault_reply(fault)
        for method, pattern, handler in self._routes:
            match = pattern.match(req.path)
            if match and method == req.method:
                return handler(
                    Request(req.method, req.path, req.query, req.headers, req.body, match.groupdict())
                )
        return self.not_found(req)

    def not_found(self, req: Request) -> Reply:
        return Reply(404, {"error": f"no route for {req.method} {req.path}"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                try:
                    reply = server.dispatch(req)
                except Exception as exc:  # noqa: BLE001 - a fake must answer, never hang
                    reply = Reply(500, {"error": f"sandbox error: {exc}"})
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client went away (killed, timed out)
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        return _Handler

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True, name="sandbox")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
