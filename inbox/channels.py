"""Building connectors from config/channels.toml and the environment."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.base import Connector
from connectors.x import XConnector
from inbox.config.channels import ChannelConfig


class MissingCredentials(Exception):
    """A channel's credential variables are unset: it is reported by name and skipped."""


@dataclass(frozen=True)
class Runtime:
    """A configured channel with its live connector."""

    config: ChannelConfig
    connector: Connector

    @property
    def name(self) -> str:
        return self.config.name


def build_connector(cfg: ChannelConfig) -> Connector:
    """The connector for one channel; MissingCredentials names the unset variables."""
    missing = cfg.missing_secrets()
    if missing:
        raise MissingCredentials(
            f"channel {cfg.name!r}: environment variable(s) {', '.join(missing)} not set; channel skipped"
        )
    creds = cfg.secrets()
    base_url = str(cfg.base_url).rstrip("/") if cfg.base_url else None
    if cfg.platform == "x":
        return XConnector(
            cfg.name,
            bearer_token=creds["bearer_token"],
            consumer_key=creds["consumer_key"],
            consumer_secret=creds["consumer_secret"],
            access_token=creds["access_token"],
            access_token_secret=creds["access_token_secret"],
            base_url=base_url,
            page_size=cfg.page_size,
        )
    raise ValueError(f"channel {cfg.name!r}: unsupported platform {cfg.platform!r}")


def build_runtimes(configs: list[ChannelConfig]) -> tuple[list[Runtime], list[str]]:
    """Runtimes for the enabled channels, and one problem line per channel that cannot run."""
    runtimes: list[Runtime] = []
    problems: list[str] = []
    for cfg in configs:
        if not cfg.enabled:
            continue
        try:
            runtimes.append(Runtime(cfg, build_connector(cfg)))
        except (MissingCredentials, ValueError) as exc:
            problems.append(str(exc))
    return runtimes, problems
