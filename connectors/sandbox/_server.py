"""A small base for loopback platform fakes: routing, request log, fault injection. Binds 127.0.0.1 only.

A sandbox subclasses ``LoopbackServer``, registers handlers with ``self.route(method, pattern, fn)``
(``pattern`` is a regular expression with named groups) and returns ``Reply`` objects. Paths under
``/_sandbox/`` are the sandbox's own control API: they are never logged in ``requests`` nor faulted.

A fault fails a request before the platform acts (a refusal, a 5xx, a delay), or with ``after`` once it has
acted (the post is created): then it hangs (``delay``), answers an error status, or drops the connection
without an answer (``drop``). That is how a lost answer to an accepted POST is reproduced.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

CONTROL_PREFIX = "/_sandbox/"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # named groups of the route pattern

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        """The body as JSON; ``ValueError`` when it is not JSON."""
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    drop: bool = False  # close the connection without answering
    cut: bool = False  # declare the whole body's length, send its first half, close the connection


@dataclass
class Fault:
    prefix: str
    status: int | None  # None: only the delay, then the normal answer
    remaining: int
    delay: float
    headers: dict[str, str]
    body: Any
    after: bool = False  # fail once the request has been handled (the platform acted)
    drop: bool = False  # with ``after``: close the connection instead of answering
    content_type: str | None = None  # the answer's Content-Type instead of the platform's
    cut: bool = (
        False  # the answer's body cut mid-way (its Content-Length says more), then the connection closed
    )
    method: str | None = None  # only requests of this method (a POST, not the GET of the same path)
    proxy: bool = False  # a proxy's own answer: only the fault's status, body and headers, not the platform's
    skip: int = 0  # requests let through before the fault starts (a token revoked mid-sweep)


Handler = Callable[[Request], Reply]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout, reset) is part of the game: no traceback on stderr."""


class LoopbackServer:
    """A threaded HTTP server serving registered routes, in a daemon thread; a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._faults: list[Fault] = []
        self._closing = threading.Event()
        self.lock = threading.RLock()
        self.requests: list[Request] = []
        self._httpd = _QuietServer((host, port), self._handler_class())
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method, re.compile(f"^{pattern}$"), handler))

    def inject_fault(
        self,
        path_prefix: str,
        *,
        status: int | None = None,
        count: int = 1,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
        body: Any = None,
        after: bool = False,
        drop: bool = False,
        content_type: str | None = None,
        cut: bool = False,
        method: str | None = None,
        proxy: bool = False,
        skip: int = 0,
    ) -> None:
        """The next ``count`` requests whose path starts with ``path_prefix`` wait ``delay`` seconds, then get
        ``status`` (or their normal answer, with ``headers`` laid over it, when ``status`` is None). With
        ``after`` the request is handled first (a post is created), then the delay, then ``status`` or, with
        ``drop``, a closed connection and no answer. ``content_type`` replaces the answer's, and ``cut`` sends
        half its body under the whole body's Content-Length, then closes the connection (a proxy's shapes of
        failure); ``method`` limits the fault to that method's requests; with ``proxy`` the answer is the
        fault's own status, body and headers alone (a gateway's, none of the platform's error shape or
        rate-limit headers); ``skip`` lets that many matching requests through first. A new fault on the same
        prefix replaces the old one; ``count=0`` removes it."""
        with self.lock:
            self._faults = [f for f in self._faults if f.prefix != path_prefix]
            if count > 0:
                fault = Fault(path_prefix, status, count, delay, dict(headers or {}), body, after, drop)
                fault.content_type, fault.cut = content_type, cut
                fault.method, fault.proxy = (method.upper() if method else None), proxy
                fault.skip = skip
                self._faults.append(fault)

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def faults(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {
                    "path_prefix": f.prefix,
                    "status": f.status,
                    "remaining": f.remaining,
                    "delay": f.delay,
                    "after": f.after,
                    "drop": f.drop,
                    "content_type": f.content_type,
                    "cut": f.cut,
                    "method": f.method,
                    "proxy": f.proxy,
                    "skip": f.skip,
                }
                for f in self._faults
            ]

    def fault_reply(self, fault: Fault, req: Request) -> Reply:
        """The answer of a failing fault; sandboxes override it with their platform's error shape. The
        fault's own body and headers, when given, are laid over it (``dispatch``)."""
        return Reply(fault.status or 500, {"error": f"injected fault {fault.status}"})

    def _failing(self, fault: Fault, req: Request) -> Reply:
        reply = Reply(fault.status or 502, b"", content_type="text/html") if fault.proxy else None
        reply = reply or self.fault_reply(fault, req)
        if fault.body is not None:
            reply.body = fault.body
        return self._shaped(fault, reply)

    @staticmethod
    def _shaped(fault: Fault, reply: Reply) -> Reply:
        """``reply`` with the fault's headers, content type and cut laid over it."""
        reply.headers.update(fault.headers)
        reply.content_type = fault.content_type or reply.content_type
        reply.cut = reply.cut or fault.cut
        return reply

    def _take_fault(self, path: str, method: str) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if fault.method not in (None, method):
                    continue
                if fault.remaining > 0 and path.startswith(fault.prefix):
                    if fault.skip > 0:
                        fault.skip -= 1
                        return None
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def dispatch(self, req: Request) -> Reply:
        """Log, apply a pending fault, then route. Control paths skip the log and the faults."""
        fault = None
        if not req.path.startswith(CONTROL_PREFIX):
            with self.lock:
                self.requests.append(req)
            fault = self._take_fault(req.path, req.method)
            if fault is not None and not fault.after:
                if fault.delay > 0:
                    self._closing.wait(fault.delay)
                if fault.status is not None:
                    return self._failing(fault, req)
        reply = self._route(req)
        if fault is not None and fault.status is None:  # the normal answer, with the fault's shape
            reply = self._shaped(fault, reply)
        if fault is not None and fault.after:
            if fault.delay > 0:
                self._closing.wait(fault.delay)
            if fault.drop:
                return Reply(drop=True)
            if fault.status is not None:
                return self._failing(fault, req)
        return reply

    def _route(self, req: Request) -> Reply:
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
                query = parse_qs(parts.query, keep_blank_values=True)
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    reply = server.dispatch(Request(self.command, parts.path, query, headers, body))
                except Exception as exc:  # a fake must answer, never hang
                    reply = Reply(500, {"error": f"sandbox error: {type(exc).__name__}: {exc}"})
                if reply.drop:  # an injected lost answer: the connection closes, nothing is sent
                    self.close_connection = True
                    return
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if reply.cut:  # half the body the headers announced, then the connection closes
                    self.close_connection = True
                    payload = payload[: len(payload) // 2]
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the sandbox keeps its own request log."""

        return _Handler

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), daemon=True, name="sandbox-http"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
