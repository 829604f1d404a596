"""Automation test helpers: charter variants, fixed times, polling and draining at a time, a webhook sink."""

from __future__ import annotations

import json
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import CharterDue
from inbox.charter.editor import edited
from inbox.charter.model import Charter, parse_charter
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.replies.composer import TemplatesFile, load_templates
from inbox.store.tables import Conversation, OutboundReply
from tests.conftest import ROOT
from tests.support.clock import Clock

PARIS_SUNDAY_10 = datetime(2026, 6, 7, 8, 0, tzinfo=UTC)  # Sunday 10:00 in Paris: the team is closed
PARIS_MONDAY_10 = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)  # Monday 10:00 in Paris: open until 12:00
MINUTE = timedelta(minutes=1)


def charter_data() -> dict[str, Any]:
    with (ROOT / "config" / "charter.toml").open("rb") as fh:
        return tomllib.load(fh)


def charter(**updates: Any) -> Charter:
    """The repository's charter with dotted-key updates (``**{"peak.backlog_at_least": 3}``)."""
    return parse_charter(edited(charter_data(), updates))


def templates() -> TemplatesFile:
    return load_templates(ROOT / "config")


def poll(engine: Engine, rt: Runtime, at: datetime, c: Charter) -> None:
    poll_channel(engine, rt, clock=Clock(at), due=CharterDue(c))


def drain(engine: Engine, rt: Runtime, at: datetime) -> int:
    return outbox.drain(engine, {rt.name: rt.connector}, Clock(at))


def conversation(engine: Engine, thread_key: str) -> Conversation:
    with Session(engine) as s:
        return s.exec(select(Conversation).where(Conversation.thread_key == thread_key)).one()


def outbox_keys(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return sorted(s.exec(select(OutboundReply.idempotency_key)))


def agent_reply(engine: Engine, conv_id: int, text: str, at: datetime) -> None:
    """An agent's answer, queued as the composer does."""
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        outbox.enqueue(s, conv, visibility=conv.visibility, text=text, actor="alice", now=at)


@dataclass
class WebhookReceiver:
    """A loopback incoming webhook (Slack/Teams-like): records every POST; answers from ``statuses`` first."""

    statuses: list[int] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self) -> Callable[..., BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.paths.append(self.path)
                    receiver.posts.append({"status": status, "json": json.loads(body or b"null")})
                reply = b"ok" if status == 200 else b"failure"
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                return

        return Handler

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/services/T000/B000/secret-token"

    def delivered(self) -> list[dict[str, Any]]:
        """Bodies the receiver accepted (2xx)."""
        with self.lock:
            return [p["json"] for p in self.posts if p["status"] < 300]

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
