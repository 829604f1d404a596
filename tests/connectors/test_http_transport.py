"""The one HTTP transport (connectors._http), through every platform's real connector and client library.

For each platform: a refused connection and a read timeout are ``Unavailable``; against the real platform the
request goes through the proxy of ``HTTPS_PROXY`` (a loopback proxy that records what it is asked, then
refuses the tunnel), while a loopback sandbox and a host in ``NO_PROXY`` are reached directly.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from connectors import _http
from connectors.alerts import WebhookConnector
from connectors.base import ConnectorError, Unavailable
from connectors.bluesky.connector import BlueskyConnector
from connectors.mastodon.connector import MastodonConnector
from connectors.meta.connector import FacebookConnector, InstagramConnector
from connectors.meta.whatsapp import WhatsAppConnector
from connectors.telegram.connector import TelegramConnector
from connectors.x.connector import XConnector

SHORT = (2.0, 0.3)  # connect, read: a server that never answers fails fast
ALERT_PATH = "/services/T000/B000/secret-token"
Call = Callable[[str | None, _http.Timeout], None]  # (base_url or None for the real platform, timeout)


def _x(base_url: str | None, timeout: _http.Timeout) -> None:
    XConnector(
        "x-acme",
        bearer_token="bearer",
        consumer_key="ck",
        consumer_secret="cs",
        access_token="1000000000000000001-tok",
        access_token_secret="ts",
        base_url=base_url,
        timeout=timeout,
    ).whoami()


def _mastodon(base_url: str | None, timeout: _http.Timeout) -> None:
    url = base_url or "https://mastodon.example"  # Mastodon has no one real host: the brand's instance
    MastodonConnector(
        "mastodon-acme", base_url=url, access_token="tok", account="AcmeCare", timeout=timeout
    ).whoami()


def _bluesky(base_url: str | None, timeout: _http.Timeout) -> None:
    BlueskyConnector(
        "bluesky-acme", handle="acme.bsky.social", app_password="pw", base_url=base_url, timeout=timeout
    ).whoami()


def _meta(cls: type[FacebookConnector | InstagramConnector | WhatsAppConnector]) -> Call:
    def call(base_url: str | None, timeout: _http.Timeout) -> None:
        name = f"{cls.platform}-acme"
        cls(
            name, token="tok", app_secret="secret", brand_id="42", base_url=base_url, timeout=timeout
        ).whoami()

    return call


def _telegram(base_url: str | None, timeout: _http.Timeout) -> None:
    TelegramConnector("telegram-acme", bot_token="123456:secret", base_url=base_url, timeout=timeout).whoami()


def _alerts(base_url: str | None, timeout: _http.Timeout) -> None:
    hook = WebhookConnector((base_url or "https://hooks.slack.com") + ALERT_PATH, timeout=timeout)
    try:
        hook.post({"text": "an alert"})
    finally:
        hook.close()


PLATFORMS: dict[str, tuple[Call, str]] = {  # name -> (one call, the real host it goes to)
    "x": (_x, "api.twitter.com:443"),
    "mastodon": (_mastodon, "mastodon.example:443"),
    "bluesky": (_bluesky, "bsky.social:443"),
    "facebook": (_meta(FacebookConnector), "graph.facebook.com:443"),
    "instagram": (_meta(InstagramConnector), "graph.facebook.com:443"),
    "whatsapp": (_meta(WhatsAppConnector), "graph.facebook.com:443"),
    "telegram": (_telegram, "api.telegram.org:443"),
    "alerts": (_alerts, "hooks.slack.com:443"),
}
every_platform = pytest.mark.parametrize("platform", sorted(PLATFORMS))


class _Recorder(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordAndRefuse)
        self.lines: list[str] = []  # method and target of each request: "CONNECT host:443", "GET /path"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _RecordAndRefuse(socketserver.StreamRequestHandler):
    """Records method and target, reads the request, answers 503 (as a proxy: the tunnel is refused)."""

    server: _Recorder

    def handle(self) -> None:
        head = [self.rfile.readline().decode("latin-1").strip()]
        while head[-1]:
            head.append(self.rfile.readline().decode("latin-1").strip())
        self.server.lines.append(head[0].rsplit(" ", 1)[0])  # without "HTTP/1.x"
        length = next((int(h.split(":", 1)[1]) for h in head if h.lower().startswith("content-length:")), 0)
        self.rfile.read(length)
        body = b'{"ok": false, "error_code": 503, "description": "recorded", "error": "Unavailable"}'
        self.wfile.write(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )


@contextmanager
def recorder() -> Iterator[_Recorder]:
    """A loopback server that records what it is asked: as a proxy, or as the platform itself."""
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variable from the machine running the tests; the test sets its own."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@every_platform
def test_a_refused_connection_is_unavailable(platform: str) -> None:
    call, _ = PLATFORMS[platform]
    with socket.socket() as closed:  # bound, never listening: every connection to it is refused
        closed.bind(("127.0.0.1", 0))
        with pytest.raises(Unavailable, match="could not be reached") as raised:
            call(f"http://127.0.0.1:{closed.getsockname()[1]}", SHORT)
    assert raised.value.retryable and "secret" not in str(raised.value)


@every_platform
def test_a_read_timeout_is_unavailable(platform: str) -> None:
    call, _ = PLATFORMS[platform]
    with socket.socket() as silent:  # listening, never answering: connections wait in the backlog
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        with pytest.raises(Unavailable, match=r"could not be reached \(ReadTimeout\)") as raised:
            call(f"http://127.0.0.1:{silent.getsockname()[1]}", SHORT)
    assert raised.value.retryable and "secret" not in str(raised.value)


@every_platform
def test_the_real_platform_is_reached_through_https_proxy(
    platform: str, no_proxy_env: pytest.MonkeyPatch
) -> None:
    call, host = PLATFORMS[platform]
    with recorder() as proxy:
        no_proxy_env.setenv("HTTPS_PROXY", proxy.url)
        with pytest.raises(Unavailable, match=r"could not be reached \(ProxyError\)"):
            call(None, SHORT)
    assert proxy.lines == [f"CONNECT {host}"]


@every_platform
def test_a_loopback_sandbox_is_reached_directly(platform: str, no_proxy_env: pytest.MonkeyPatch) -> None:
    call, _ = PLATFORMS[platform]
    with recorder() as proxy, recorder() as sandbox:
        no_proxy_env.setenv("HTTPS_PROXY", proxy.url)
        no_proxy_env.setenv("HTTP_PROXY", proxy.url)
        with pytest.raises(Unavailable):  # the sandbox's 503
            call(sandbox.url, SHORT)
    assert proxy.lines == [] and len(sandbox.lines) == 1
    assert not sandbox.lines[0].startswith(("CONNECT", "GET http", "POST http"))


@every_platform
@pytest.mark.parametrize("no_proxy", ["", "0.0.0.0"])
def test_no_proxy_names_the_hosts_reached_directly(
    platform: str, no_proxy: str, no_proxy_env: pytest.MonkeyPatch
) -> None:
    """0.0.0.0 is not loopback by its address, yet a connection to it reaches this machine: a stand-in for a
    gateway host, reached directly only when NO_PROXY names it."""
    call, _ = PLATFORMS[platform]
    with recorder() as proxy, recorder() as gateway:
        no_proxy_env.setenv("HTTP_PROXY", proxy.url)
        no_proxy_env.setenv("NO_PROXY", no_proxy)
        with pytest.raises(Unavailable):  # the 503 of whichever answered
            call(gateway.url.replace("127.0.0.1", "0.0.0.0"), SHORT)
    port = gateway.server_address[1]
    through_proxy = [line for line in proxy.lines if line.split()[1].startswith(f"http://0.0.0.0:{port}/")]
    assert (len(through_proxy), len(gateway.lines)) == ((0, 1) if no_proxy else (1, 0))


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8701/2/users/me", True),
        ("http://127.8.9.10/", True),
        ("http://localhost:8702", True),
        ("http://LOCALHOST/", True),
        ("http://[::1]:8703/xrpc", True),
        ("http://[::ffff:127.0.0.1]/", True),
        ("https://api.twitter.com/2/users/me", False),
        ("http://0.0.0.0:8704/", False),
        ("http://10.0.0.1/", False),
        ("https://localhost.example/", False),
    ],
)
def test_loopback_is_127_0_0_0_8_ipv6_1_and_localhost(url: str, loopback: bool) -> None:
    assert _http.is_loopback(url) is loopback


def test_a_request_without_a_timeout_gets_the_transports_default() -> None:
    """Session.request without ``timeout`` (as tweepy sends them) still times out, as Unavailable."""
    session = _http.mount(timeout=SHORT)
    with socket.socket() as silent, session:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        with pytest.raises(Unavailable, match="ReadTimeout"):
            _http.request(session, "GET", f"http://127.0.0.1:{silent.getsockname()[1]}/", where="test")


def test_a_malformed_url_is_a_connector_error_not_retried() -> None:
    with _http.mount() as session, pytest.raises(ConnectorError) as raised:
        _http.request(session, "GET", "http://", where="test")
    assert not raised.value.retryable


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"retry-after": "-5"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_reads_seconds(headers: dict[str, str], seconds: float | None) -> None:
    assert _http.retry_after(headers) == seconds


@pytest.mark.parametrize(
    ("value", "wait"),
    [
        ("120", 120.0),
        ("-5", 0.0),
        ("soon", None),
        ("", None),
        ("Thu, 01 Jan 2026 02:00:00 GMT", 7200.0),
        ("Thu, 01 Jan 2026 02:00:00 -0000", 7200.0),
        ("Wed, 31 Dec 2025 23:00:00 GMT", 0.0),  # already past
        ("Thu, 01 Jan 2026 99:00:00 GMT", None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(value: str, wait: float | None) -> None:
    now = 1767225600.0  # 2026-01-01 00:00:00 UTC
    assert _http.retry_after({"Retry-After": value}, now) == wait
