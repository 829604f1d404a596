"""The platforms the inbox speaks, and how to build a connector for each.

Each platform module exposes ``build(spec: ConnectorSpec) -> Connector``. Modules are imported only when a
channel of that platform is built, so the registry itself has no I/O and no client-library imports.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Literal

from connectors.base import Connector, ConnectorSpec
from connectors.redact import remember

LimitUnit = Literal["chars", "graphemes", "x_weighted"]


@dataclass(frozen=True, slots=True)
class PlatformInfo:
    """Static facts about one platform: credentials it needs and the length rule of what we send."""

    name: str
    label: str
    module: str  # the connectors module with ``build(spec)``
    credentials: tuple[str, ...]  # required credential roles (env variable names go in channels.toml)
    optional_credentials: tuple[str, ...] = ()
    text_limit: int = 5000
    limit_unit: LimitUnit = "chars"
    private_only: bool = False  # every conversation is private (WhatsApp)
    refuses_repeated_text: bool = False  # refuses a post whose text the account already posted (X: 403)
    first_year: int = 1970  # the year the platform opened: no message on it is dated earlier


PLATFORMS: dict[str, PlatformInfo] = {
    p.name: p
    for p in (
        PlatformInfo(
            "x",
            "X",
            "connectors.x.connector",
            ("bearer_token", "consumer_key", "consumer_secret", "access_token", "access_token_secret"),
            text_limit=280,
            limit_unit="x_weighted",
            refuses_repeated_text=True,
            first_year=2006,
        ),
        PlatformInfo(
            "mastodon",
            "Mastodon",
            "connectors.mastodon.connector",
            ("access_token",),
            text_limit=500,
            first_year=2016,
        ),
        PlatformInfo(
            "bluesky",
            "Bluesky",
            "connectors.bluesky.connector",
            ("app_password",),
            text_limit=300,
            limit_unit="graphemes",
            first_year=2022,
        ),
        PlatformInfo(
            "telegram",
            "Telegram",
            "connectors.telegram.connector",
            ("bot_token",),
            ("webhook_secret",),
            text_limit=4096,  # private chats with the bot, and public groups it is in
            first_year=2013,
        ),
        PlatformInfo(
            "facebook",
            "Facebook",
            "connectors.meta.connector",
            ("page_token", "app_secret"),
            ("verify_token",),
            8000,
            first_year=2004,
        ),
        PlatformInfo(
            "instagram",
            "Instagram",
            "connectors.meta.connector",
            ("page_token", "app_secret"),
            ("verify_token",),
            1000,
            first_year=2010,
        ),
        PlatformInfo(
            "whatsapp",
            "WhatsApp",
            "connectors.meta.connector",
            ("access_token", "app_secret"),
            ("verify_token",),
            text_limit=4096,
            private_only=True,
            first_year=2009,
        ),
    )
}


def platform(name: str) -> PlatformInfo:
    """The platform's facts; KeyError lists the known platforms."""
    try:
        return PLATFORMS[name]
    except KeyError:
        raise KeyError(f"unknown platform {name!r}; known: {sorted(PLATFORMS)}") from None


def build(spec: ConnectorSpec) -> Connector:
    """The live connector for one channel; its secret values are remembered for ``connectors.redact``."""
    remember(spec.credentials.values())
    module = importlib.import_module(platform(spec.platform).module)
    connector: Connector = module.build(spec)
    return connector
