"""A loopback incoming webhook (Slack/Teams-like) for the demo: keeps and prints every alert posted to it.

``POST /services/<anything>`` with a JSON object that has a non-empty ``text`` is accepted (200 ``ok``, as
Slack answers) and kept; anything else is a 400. ``GET /_sandbox/alerts`` lists what arrived (oldest first),
``DELETE /_sandbox/alerts`` forgets it; faults (``/_sandbox/faults``) make the hook fail like a real one.
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from connectors.sandbox import _cli
from connectors.sandbox._server import LoopbackServer, Reply, Request

DEMO_PATH = "/services/demo/alerts"  # the path the demo's INBOX_ESCALATION_WEBHOOK_URL names


class AlertsSandbox(LoopbackServer):
    """Records the alerts; ``echo`` also prints each alert's text (the demo's console)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, echo: bool = False) -> None:
        super().__init__(host, port)
        self.echo = echo
        self.alerts: list[dict[str, Any]] = []
        self.route("POST", r"/services/.+", self._receive)
        self.route("GET", r"/_sandbox/alerts", lambda _: Reply(200, {"alerts": self.received()}))
        self.route("DELETE", r"/_sandbox/alerts", self._forget)

    def _receive(self, req: Request) -> Reply:
        try:
            body = req.json()
        except ValueError:
            return Reply(400, b"invalid_payload", content_type="text/plain")
        if not isinstance(body, dict) or not str(body.get("text", "")).strip():
            return Reply(400, b"no_text", content_type="text/plain")
        with self.lock:
            self.alerts.append(body)
        if self.echo:
            print(f"alert: {body['text']}", flush=True)
        return Reply(200, b"ok", content_type="text/plain")

    def _forget(self, _req: Request) -> Reply:
        with self.lock:
            self.alerts.clear()
        return Reply(204, b"", content_type="text/plain")

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.alerts)


def main(argv: list[str] | None = None) -> int:
    """Serve the hook until SIGTERM or SIGINT, printing its URL first."""
    p = argparse.ArgumentParser(
        prog="inbox sandbox alerts", description="Loopback incoming webhook for alerts."
    )
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    p.add_argument("--port", type=int, default=8706, help="0 picks a free port")
    args = _cli.parse(p, argv)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    with AlertsSandbox(args.host, args.port, echo=True) as sandbox:
        print(
            f"alerts webhook on {sandbox.url}{DEMO_PATH} (received: {sandbox.url}/_sandbox/alerts)",
            flush=True,
        )
        stopping.wait()
    print("alerts webhook stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
