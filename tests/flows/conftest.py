"""Fixtures of the flow tests: the X channel (on tests/conftest.py's ``sandbox``), the Mastodon channel, the
Meta sandbox and its channels, and the webhook receiver served by uvicorn on loopback (helpers in
tests/support/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime, build_runtimes
from inbox.ingest.webhooks.app import webhook_app
from inbox.ingest.webhooks.receiver import Receiver
from tests.support.privacy_flows import filled  # noqa: F401 - the fixture, for the privacy flows
from tests.support.sandbox_channels import mastodon_runtime
from tests.support.webhooks import ENV, channel_configs, now, serve
from tests.support.x_channel import x_runtime

RECEIVER_MAX_BODY = 64 * 1024  # small, so the 413 tests send little


@pytest.fixture
def meta() -> Iterator[MetaSandbox]:
    """The Meta Graph API sandbox (Facebook, Instagram, WhatsApp) on loopback."""
    with MetaSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def mastodon_channel(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MastodonSandbox, Runtime]]:
    """The Mastodon sandbox (brand AcmeCare) and the channel mastodon-acme over it."""
    with MastodonSandbox("AcmeCare") as sandbox:
        yield sandbox, mastodon_runtime(sandbox, monkeypatch)


@pytest.fixture
def rt(sandbox: XSandbox, x_env: dict[str, str]) -> Runtime:
    """The X channel x-acme over the sandbox."""
    return x_runtime(sandbox)


@pytest.fixture
def runtimes(meta: MetaSandbox, monkeypatch: pytest.MonkeyPatch) -> list[Runtime]:
    """Facebook, Instagram and WhatsApp over the Meta sandbox, plus X and Telegram (webhooks only)."""
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    built, problems = build_runtimes(channel_configs(meta))
    assert problems == []
    return built


@pytest.fixture
def receiver(engine: Engine, runtimes: list[Runtime]) -> Receiver:
    return Receiver(engine, runtimes, due=default_due, clock=now)


@pytest.fixture
def receiver_url(receiver: Receiver) -> Iterator[str]:
    """The base URL of the receiver under uvicorn (bodies up to ``RECEIVER_MAX_BODY``)."""
    with serve(webhook_app(receiver, max_body=RECEIVER_MAX_BODY)) as base:
        yield base
