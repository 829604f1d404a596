"""The channels file (config/channels.toml): which accounts the inbox listens to, and how."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, HttpUrl, PositiveInt, field_validator, model_validator

from connectors.registry import PLATFORMS
from inbox.config.loader import Strict, load_model
from inbox.settings import secret

Platform = Literal["x", "mastodon", "bluesky", "telegram", "facebook", "instagram", "whatsapp"]
OptionValue = str | int | bool | list[str]


class ChannelConfig(Strict):
    """One ``[[channels]]`` table."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    platform: Platform
    account: str = Field(min_length=1, description="the brand's handle on the platform, without @")
    base_url: HttpUrl | None = None
    enabled: bool = True
    poll_interval_seconds: PositiveInt = 60
    page_size: int = Field(default=100, ge=5, le=100)
    monthly_read_budget: PositiveInt | None = None
    credentials: dict[str, str] = Field(default_factory=dict)
    listening: list[str] = Field(
        default_factory=list, description="keyword queries (brand, product names, hashtags) run on search"
    )
    options: dict[str, OptionValue] = Field(
        default_factory=dict, description="platform-specific settings, e.g. page_id, phone_number_id"
    )

    @field_validator("account")
    @classmethod
    def _strip_at(cls, value: str) -> str:
        return value.removeprefix("@")

    @model_validator(mode="after")
    def _credential_roles(self) -> ChannelConfig:
        info = PLATFORMS[self.platform]
        needed, allowed = set(info.credentials), set(info.credentials) | set(info.optional_credentials)
        unknown = set(self.credentials) - allowed
        if unknown:
            raise ValueError(f"unknown credential role(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
        missing = needed - set(self.credentials)
        if missing:
            raise ValueError(f"credentials must name the environment variable for {sorted(missing)}")
        return self

    def missing_secrets(self) -> list[str]:
        """Names of the environment variables this channel needs that are unset."""
        return [env for env in self.credentials.values() if secret(env) is None]

    def secrets(self) -> dict[str, str]:
        """Role → secret value, read from the environment now."""
        return {role: secret(env) or "" for role, env in self.credentials.items()}


class ChannelsFile(Strict):
    channels: list[ChannelConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> ChannelsFile:
        names = [c.name for c in self.channels]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"channel names must be unique; repeated: {dupes}")
        return self


def load_channels(config_dir: Path) -> ChannelsFile:
    return load_model(config_dir / "channels.toml", ChannelsFile)
