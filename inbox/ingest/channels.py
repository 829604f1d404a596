"""Building connectors from config/channels.toml and the environment."""

from __future__ import annotations

from dataclasses import dataclass

from connectors import registry
from connectors.base import Connector, ConnectorSpec
from connectors.redact import redact
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

    def redact(self, text: str) -> str:
        """``text`` without this channel's secrets nor any credential pattern (``connectors.redact``)."""
        return redact(text, self.config.secrets().values())


def build_connector(cfg: ChannelConfig) -> Connector:
    """The connector for one channel; MissingCredentials names the unset variables."""
    missing = cfg.missing_secrets()
    if missing:
        raise MissingCredentials(
            f"channel {cfg.name!r}: environment variable(s) {', '.join(missing)} not set; channel skipped"
        )
    spec = ConnectorSpec(
        name=cfg.name,
        platform=cfg.platform,
        account=cfg.account,
        credentials=cfg.secrets(),
        base_url=str(cfg.base_url).rstrip("/") if cfg.base_url else None,
        page_size=cfg.page_size,
        listening=tuple(cfg.listening),
        options=dict(cfg.options),
    )
    return registry.build(spec)


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
