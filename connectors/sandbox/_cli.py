"""What every sandbox's ``main`` shares: common options, the loopback-only rule, serving until a signal."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from connectors.sandbox._replay import CLOCK

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def parser(
    platform: str, description: str, *, port: int, backlog: int, interval: float
) -> argparse.ArgumentParser:
    """``inbox sandbox <platform>`` with --host, --port, --backlog, --interval, --round and --no-replay."""
    p = argparse.ArgumentParser(prog=f"inbox sandbox {platform}", description=description)
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    p.add_argument("--port", type=int, default=port, help="0 picks a free port")
    p.add_argument("--backlog", type=int, default=backlog, help="customer items seeded at start")
    p.add_argument("--interval", type=float, default=interval, help="seconds between new customer items")
    p.add_argument(
        "--round",
        type=_round,
        default=0,
        help="round of the replay script to start at (each round is written by other customers), or "
        "'clock': a round no earlier start reached, so a restart does not repeat customers",
    )
    p.add_argument("--no-replay", action="store_true", help="start empty (add traffic via /_sandbox/)")
    return p


def _round(value: str) -> int:
    return CLOCK if value == "clock" else int(value)


def parse(p: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The options; a non-loopback --host is refused (the control API has no auth)."""
    args = p.parse_args(argv)
    if args.host not in LOOPBACK:
        p.error("the sandbox has no auth on /_sandbox/: bind a loopback address only")
    return args


def serve(sandbox: Any, args: argparse.Namespace, name: str, account: str | None = None) -> int:
    """Replay traffic (unless --no-replay), print the URL, and serve until SIGTERM or SIGINT."""
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    with sandbox:
        if not args.no_replay:
            sandbox.replays.first_round = args.round
            sandbox.replay(backlog=args.backlog, interval=args.interval)
        label = f"{name} sandbox for @{account}" if account else f"{name} sandbox"
        print(f"{label} on {sandbox.url} (control: {sandbox.url}/_sandbox/state)", flush=True)
        stopping.wait()
    print(f"{name} sandbox stopped", flush=True)
    return 0
