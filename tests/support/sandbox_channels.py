"""Channels as ``config/channels.toml`` would declare them, pointed at a loopback sandbox (X has its own
module, ``tests.support.x_channel``)."""

from __future__ import annotations

import pytest
from pydantic import HttpUrl

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox
from connectors.sandbox.mastodon.server import TOKEN, MastodonSandbox
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector


def _runtime(cfg: ChannelConfig) -> Runtime:
    return Runtime(cfg, build_connector(cfg))


def telegram_runtime(tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    """``tg-acme``, the bot of ``tg``, read without long-poll waits."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    return _runtime(
        ChannelConfig.model_validate(
            {
                "name": "tg-acme",
                "platform": "telegram",
                "account": "AcmeCareBot",
                "base_url": tg.url,
                "credentials": {"bot_token": "TELEGRAM_BOT_TOKEN"},
                "options": {"poll_seconds": 0},
            }
        )
    )


def bluesky_runtime(bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    """``bsky-acme``, the brand account of ``bsky``."""
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", DEFAULT_PASSWORD)
    return _runtime(
        ChannelConfig.model_validate(
            {
                "name": "bsky-acme",
                "platform": "bluesky",
                "account": DEFAULT_HANDLE,
                "base_url": bsky.url,
                "credentials": {"app_password": "BLUESKY_APP_PASSWORD"},
            }
        )
    )


def mastodon_runtime(mastodon: MastodonSandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    """``mastodon-acme``, @AcmeCare on ``mastodon``."""
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", TOKEN)
    return _runtime(
        ChannelConfig(
            name="mastodon-acme",
            platform="mastodon",
            account="AcmeCare",
            base_url=HttpUrl(mastodon.url),
            credentials={"access_token": "MASTODON_ACCESS_TOKEN"},
        )
    )


def raw_notification(bsky: BlueskySandbox, uri: str, **changes: object) -> None:
    """Replace the notification of post ``uri`` by a raw mention notification with ``changes`` laid over its
    view (what a faulty server sends); the post itself stays, for thread look-ups."""
    with bsky.lock:
        view = bsky.store.post_view(bsky.store.posts[uri])
        bsky.store.notifications = [(s, e) for s, e in bsky.store.notifications if e != uri]
    bsky.add_raw_notification({**view, "reason": "mention", "isRead": False, **changes})
