"""The demo: platform sandboxes, the listener and the Streamlit app as child processes, stopped together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping

from inbox.i18n import _, ngettext

SANDBOX_PORT = 8701
ALERTS_PORT = 8706  # `inbox sandbox alerts`: a Slack-like incoming webhook that prints the alerts
WEBHOOKS_PORT = 8710  # `inbox webhooks`: Meta's sandbox pushes signed events there, as Meta would
APP_ADDRESS, APP_PORT = "127.0.0.1", 8501

# The loopback sandboxes the demo starts: (platform, port, extra arguments). config/channels.toml points the
# demo channels at these ports. Each start replays by other customers than the last (the sandboxes forget,
# var/inbox.db does not): no customer repeats their words after a restart.
NEW_CUSTOMERS = ("--round", "clock")
SANDBOXES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("x", 8701, (*NEW_CUSTOMERS, "--documented-limits")),  # X's per-user limits, as the real API enforces
    ("mastodon", 8702, NEW_CUSTOMERS),
    ("bluesky", 8703, NEW_CUSTOMERS),
    ("telegram", 8704, NEW_CUSTOMERS),
    (
        "meta",
        8705,
        NEW_CUSTOMERS
        + tuple(
            arg
            for platform, channel in (
                ("facebook", "fb-acme"),
                ("instagram", "ig-acme"),
                ("whatsapp", "wa-acme"),
            )
            for arg in ("--webhook-url", f"{platform}=http://127.0.0.1:{WEBHOOKS_PORT}/webhooks/{channel}")
        ),
    ),
    ("alerts", ALERTS_PORT, ()),  # the escalation webhook: SLA, spike and peak-plan alerts land there
)

# Credentials of the loopback sandboxes. They are not secrets: they only open the sandboxes.
SANDBOX_ENV = {
    "X_BEARER_TOKEN": "sandbox-bearer",
    "X_CONSUMER_KEY": "sandbox-consumer",
    "X_CONSUMER_SECRET": "sandbox-consumer-secret",
    "X_ACCESS_TOKEN": "1000000000000000001-sandbox",
    "X_ACCESS_TOKEN_SECRET": "sandbox-token-secret",
    "MASTODON_ACCESS_TOKEN": "sandbox-mastodon-token",
    "BLUESKY_APP_PASSWORD": "sbox-acme-care-demo",
    "TELEGRAM_BOT_TOKEN": "7000000001:AAsandbox-telegram-bot-token",
    "META_PAGE_TOKEN": "sandbox-page-token",
    "META_WHATSAPP_TOKEN": "sandbox-whatsapp-token",
    "META_APP_SECRET": "sandbox-app-secret",
    "META_VERIFY_TOKEN": "sandbox-verify-token",
    "INBOX_ESCALATION_WEBHOOK_URL": f"http://127.0.0.1:{ALERTS_PORT}/services/demo/alerts",
}


def demo_env(base: Mapping[str, str]) -> dict[str, str]:
    """The environment for the demo's processes: the sandbox credentials unless already set."""
    env = dict(base)
    for key, value in SANDBOX_ENV.items():
        env.setdefault(key, value)
    return env


def listening(host: str, port: int) -> bool:
    """Whether something accepts connections on ``host:port``."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for_port(host: str, port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> bool:
    """Whether ``process`` came to listen on ``port`` (False as soon as it has exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if listening(host, port):
            return process.poll() is None
        time.sleep(0.2)
    return False


def demo_ports() -> dict[int, str]:
    """Every port the demo listens on, with what listens there."""
    ports = {port: _("the {platform} sandbox").format(platform=platform) for platform, port, _x in SANDBOXES}
    ports[WEBHOOKS_PORT] = _("the webhook receiver")
    ports[APP_PORT] = _("the web app")
    return ports


def busy_ports(ports: Mapping[int, str], host: str = APP_ADDRESS) -> str | None:
    """What to say when something already listens on some of ``ports`` (None: all free). The demo starts
    nothing then: with another demo running, its listener would read that demo's sandboxes and answer its
    customers."""
    busy = [f"{port} ({what})" for port, what in ports.items() if listening(host, port)]
    if not busy:
        return None
    return ngettext(
        "error: port {ports} is in use: is another demo running?",
        "error: ports {ports} are in use: is another demo running?",
        len(busy),
    ).format(ports=", ".join(busy))


def seed_demo_users(database_url: str) -> list[str]:
    """Create the demo sign-ins (agent/agent, manager/manager, admin/admin) when the users table is empty."""
    from sqlmodel import Session

    from inbox.desk.auth import seed_demo_users as seed
    from inbox.store.engine import open_engine

    engine = open_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            return seed(session)
    finally:
        engine.dispose()


def _start(args: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *args], env=dict(env))


def run_demo() -> int:
    """Run until Ctrl-C or until one of the processes dies; returns an exit status."""
    from inbox.settings import Settings

    if busy := busy_ports(demo_ports()):
        print(busy, file=sys.stderr)
        print(_("Stop it (Ctrl-C where it runs) or free the port, then start again."), file=sys.stderr)
        return 1
    env = demo_env(os.environ)
    env["INBOX_DEMO"] = "1"  # the sign-in page names the demo accounts
    if seed_demo_users(Settings().database_url):
        print(
            _(
                "demo users created: agent / agent (agent), manager / manager (community manager), "
                "admin / admin (admin)"
            ),
            flush=True,
        )
    procs: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for platform, port, extra in SANDBOXES:
            procs.append(
                _start(["-m", "inbox.cli.main", "sandbox", platform, "--port", str(port), *extra], env)
            )
        for (platform, port, _x), process in zip(SANDBOXES, procs, strict=True):
            if not wait_for_port("127.0.0.1", port, process):
                print(
                    _("error: the {platform} sandbox did not start on port {port}").format(
                        platform=platform, port=port
                    ),
                    file=sys.stderr,
                )
                return 1
        procs.append(_start(["-m", "inbox.cli.main", "listen"], env))
        procs.append(_start(["-m", "inbox.cli.main", "webhooks", "--port", str(WEBHOOKS_PORT)], env))
        procs.append(
            _start(
                [
                    "-m",
                    "streamlit",
                    "run",
                    "app.py",
                    "--server.address",
                    APP_ADDRESS,
                    "--server.port",
                    str(APP_PORT),
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                    "--server.fileWatcherType",  # code does not change under a running app: no reloads
                    "none",
                    "--client.toolbarMode",  # no Deploy button, no ⋮ menu (English)
                    "minimal",
                ],
                env,
            )
        )
        url = f"http://{APP_ADDRESS}:{APP_PORT}"
        print("\n  " + _("Inbox demo: {url}   (Ctrl-C to stop)").format(url=url) + "\n", flush=True)
        while not stopping:
            dead = [p for p in procs if p.poll() is not None]
            if dead:
                args = dead[0].args
                command = " ".join(map(str, args)) if isinstance(args, list) else str(args)
                error = _("error: {command} exited with {status}")
                print(error.format(command=command, status=dead[0].returncode), file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
