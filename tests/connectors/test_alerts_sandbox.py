"""The loopback alerts webhook the demo posts to (``inbox sandbox alerts``): it keeps what Slack would accept,
refuses what Slack refuses, forgets on request, and fails on an injected fault like a real hook."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from connectors.alerts import WebhookConnector
from connectors.base import Unavailable
from connectors.sandbox.alerts.server import DEMO_PATH, AlertsSandbox


@pytest.fixture
def hook() -> Iterator[AlertsSandbox]:
    with AlertsSandbox() as sandbox:
        yield sandbox


def test_alerts_posted_through_the_connector_are_kept_in_order(hook: AlertsSandbox) -> None:
    sender = WebhookConnector(hook.url + DEMO_PATH)
    sender.post({"text": "first", "spike": {"count": 45}})
    sender.post({"text": "second"})
    sender.close()
    listed = requests.get(hook.url + "/_sandbox/alerts", timeout=5).json()["alerts"]
    assert [a["text"] for a in listed] == ["first", "second"] and listed[0]["spike"] == {"count": 45}
    assert requests.delete(hook.url + "/_sandbox/alerts", timeout=5).status_code == 204
    assert hook.received() == []


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"text": "  "}'])
def test_what_slack_refuses_is_refused(hook: AlertsSandbox, body: bytes) -> None:
    answer = requests.post(hook.url + DEMO_PATH, data=body, timeout=5)
    assert answer.status_code == 400 and hook.received() == []


def test_an_injected_fault_fails_the_post(hook: AlertsSandbox) -> None:
    hook.inject_fault("/services/", status=503)
    sender = WebhookConnector(hook.url + DEMO_PATH)
    with pytest.raises(Unavailable):
        sender.post({"text": "lost"})
    sender.post({"text": "kept"})
    sender.close()
    assert [a["text"] for a in hook.received()] == ["kept"]
