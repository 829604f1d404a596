"""The X sandbox's control surface: `/_sandbox/` endpoints, live replay of real tweets, and `main()`.

`/_sandbox/` is unauthenticated and meant for loopback only: the demo and out-of-process tests use it
to add traffic, inject faults and read what the inbox sent.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from connectors.sandbox._server import Reply, Request

if TYPE_CHECKING:
    from connectors.sandbox.x import XSandbox

LEADING_HANDLE = re.compile(r"^@\w+")


@dataclass(frozen=True)
class SampleTweet:
    author_id: str
    brand: str
    text: str


def load_sample() -> list[SampleTweet]:
    """The shipped, attributed sample of real customer-support tweets (CC BY-NC-SA 4.0)."""
    text = resources.files("connectors.sandbox").joinpath("data/twcs_sample.csv").read_text(encoding="utf-8")
    return [SampleTweet(r["author_id"], r["brand"], r["text"]) for r in csv.DictReader(text.splitlines())]


def _followers(rng: random.Random) -> int:
    roll = rng.random()
    return rng.randint(20_000, 400_000) if roll < 0.05 else rng.randint(5, 3_000)


def release(sandbox: XSandbox, row: SampleTweet, at: datetime, rng: random.Random) -> str:
    """One sample tweet as a mention to the brand (about 1 in 6 as a DM instead)."""
    handle = f"cust{row.author_id}"
    if handle.lower() not in sandbox.state.handles:
        sandbox.add_user(handle, name=f"Customer {row.author_id}", followers=_followers(rng))
    text = LEADING_HANDLE.sub(f"@{sandbox.brand_handle}", row.text, count=1)
    if rng.random() < 1 / 6:
        return sandbox.add_dm(
            LEADING_HANDLE.sub("", row.text, count=1).strip() or row.text, handle, created_at=at
        )
    return sandbox.add_mention(text, handle, created_at=at)


def replay(
    sandbox: XSandbox,
    rows: list[SampleTweet],
    *,
    backlog: int = 40,
    interval: float = 15.0,
    stop: threading.Event | None = None,
    seed: int = 7,
) -> threading.Thread | None:
    """Seed ``backlog`` items over the past two hours, then release one every ``interval`` seconds."""
    rng = random.Random(seed)
    feed: Iterator[SampleTweet] = iter(rows)
    now = datetime.now(UTC)
    for i, row in zip(range(backlog), feed, strict=False):
        release(sandbox, row, now - timedelta(minutes=120 * (backlog - i) / max(backlog, 1)), rng)
    if interval <= 0:
        return None
    stop = stop or threading.Event()

    def run() -> None:
        for row in feed:
            if stop.wait(interval):
                return
            release(sandbox, row, datetime.now(UTC), rng)

    thread = threading.Thread(target=run, daemon=True, name="x-replay")
    thread.start()
    return thread


def register_control(sandbox: XSandbox) -> None:
    """The `/_sandbox/` endpoints."""

    def state(_: Request) -> Reply:
        s = sandbox.state
        return Reply(
            200,
            {
                "users": len(s.users),
                "tweets": len(s.tweets),
                "dm_events": len(s.dms),
                "sent_tweets": len(s.sent_tweets),
                "sent_dms": len(s.sent_dms),
            },
        )

    def sent(_: Request) -> Reply:
        return Reply(200, {"tweets": sandbox.sent_tweets, "dms": sandbox.sent_dms})

    def mention(req: Request) -> Reply:
        body: dict[str, Any] = req.json() or {}
        tid = sandbox.add_mention(
            body["text"], body.get("author", "customer"), in_reply_to=body.get("in_reply_to")
        )
        return Reply(201, {"id": tid})

    def dm(req: Request) -> Reply:
        body: dict[str, Any] = req.json() or {}
        return Reply(201, {"id": sandbox.add_dm(body["text"], body.get("sender", "customer"))})

    def fault(req: Request) -> Reply:
        body: dict[str, Any] = req.json() or {}
        if body.get("clear"):
            sandbox.clear_faults()
        else:
            sandbox.inject_fault(
                body.get("path", "/2/"),
                status=body.get("status"),
                count=int(body.get("count", 1)),
                delay=float(body.get("delay", 0.0)),
            )
        return Reply(200, {"ok": True})

    sandbox.route("GET", "/_sandbox/state", state)
    sandbox.route("GET", "/_sandbox/sent", sent)
    sandbox.route("POST", "/_sandbox/mentions", mention)
    sandbox.route("POST", "/_sandbox/dms", dm)
    sandbox.route("POST", "/_sandbox/faults", fault)


def main(argv: list[str] | None = None) -> int:
    """Serve the X sandbox until SIGTERM or SIGINT."""
    from connectors.sandbox.x import XSandbox

    parser = argparse.ArgumentParser(prog="inbox sandbox x", description="Loopback X API v2 sandbox.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--brand", default="AcmeCare", help="the brand account's handle")
    parser.add_argument("--backlog", type=int, default=40, help="customer items already waiting at start")
    parser.add_argument("--interval", type=float, default=15.0, help="seconds between new items (0: none)")
    parser.add_argument("--no-replay", action="store_true", help="start empty")
    args = parser.parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with XSandbox(args.brand, host=args.host, port=args.port) as sandbox:
        if not args.no_replay:
            replay(sandbox, load_sample(), backlog=args.backlog, interval=args.interval, stop=stop)
        print(
            f"X sandbox for @{args.brand} on {sandbox.url} (control: {sandbox.url}/_sandbox/state)",
            flush=True,
        )
        stop.wait()
    return 0
