"""What every sandbox shares, on all five: ``/_sandbox/state``, ``/_sandbox/replay`` and injected faults whose
own body and headers are laid over the platform's error shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests

from connectors.sandbox._server import LoopbackServer
from connectors.sandbox.bluesky.server import BlueskySandbox
from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.sandbox.x.server import XSandbox

# sandbox, a path of its platform API (faults apply before routing and auth)
SANDBOXES: dict[str, tuple[Callable[[], LoopbackServer], str]] = {
    "x": (XSandbox, "/2/users/me"),
    "mastodon": (MastodonSandbox, "/api/v1/notifications"),
    "bluesky": (BlueskySandbox, "/xrpc/app.bsky.notification.listNotifications"),
    "telegram": (TelegramSandbox, f"/bot{DEFAULT_TOKEN}/getMe"),
    "meta": (MetaSandbox, "/v21.0/me"),
}


@pytest.fixture(params=sorted(SANDBOXES))
def sandbox(request: pytest.FixtureRequest) -> Iterator[tuple[LoopbackServer, str]]:
    make, path = SANDBOXES[request.param]
    with make() as server:
        yield server, path


def test_replay_over_http_is_counted_in_the_state(sandbox: tuple[LoopbackServer, str]) -> None:
    server, _ = sandbox
    control = server.url + "/_sandbox"
    assert requests.get(control + "/state", timeout=5).json()["replay"] == {"running": 0, "released": 0}
    started = requests.post(control + "/replay", json={"backlog": 3, "interval": 0}, timeout=5)
    assert started.status_code == 201 and started.json() == {"released": 3}
    state = requests.get(control + "/state", timeout=5).json()
    assert state["replay"] == {"running": 1, "released": 3} and state["url"] == server.url
    assert requests.post(control + "/replay", json={"backlog": "many"}, timeout=5).status_code == 400


def test_a_fault_answers_in_the_platform_shape_with_its_own_headers(
    sandbox: tuple[LoopbackServer, str],
) -> None:
    server, path = sandbox
    body = {"path_prefix": path, "status": 503, "count": 1, "headers": {"Retry-After": "7"}}
    assert requests.post(server.url + "/_sandbox/faults", json=body, timeout=5).status_code == 201
    failed = requests.get(server.url + path, timeout=5)
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "7"
    assert failed.json() != {"error": "injected fault 503"}  # the platform's shape, not the base's
    assert requests.get(server.url + "/_sandbox/state", timeout=5).json()["faults"] == []


def test_a_fault_with_its_own_body_sends_that_body(sandbox: tuple[LoopbackServer, str]) -> None:
    server, path = sandbox
    server.inject_fault(path, status=500, body={"custom": "body"}, headers={"X-Fault": "yes"})
    failed = requests.get(server.url + path, timeout=5)
    assert (failed.status_code, failed.json(), failed.headers["X-Fault"]) == (500, {"custom": "body"}, "yes")


def test_a_fault_shapes_the_answer_as_a_proxy_would(sandbox: tuple[LoopbackServer, str]) -> None:
    """``text`` and ``content_type`` make a gateway's page; ``cut`` sends half the body under the whole one's
    Content-Length, then closes; ``method`` spares the other methods' requests on the same path."""
    server, path = sandbox
    control, page = server.url + "/_sandbox/faults", "<html>502 Bad Gateway</html>"
    shape = {"path_prefix": path, "status": 200, "text": page, "content_type": "text/html", "method": "GET"}
    assert requests.post(control, json=shape, timeout=5).status_code == 201
    assert requests.post(server.url + path, timeout=5).text != page  # a POST: spared
    answer = requests.get(server.url + path, timeout=5)
    assert answer.text == page and answer.headers["Content-Type"] == "text/html"
    cut = {"path_prefix": path, "status": 200, "text": "x" * 100, "cut": True}
    requests.post(control, json=cut, timeout=5)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(server.url + path, timeout=5)
