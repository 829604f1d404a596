"""Process settings from the environment (and .env). Secrets are read here, never from config files."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_PATH = Path("var") / "inbox.db"


class Settings(BaseSettings):
    """``INBOX_DATABASE_URL`` picks the store; ``INBOX_CONFIG_DIR`` the config folder."""

    model_config = SettingsConfigDict(env_prefix="INBOX_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    config_dir: Path = Path("config")
    public_url: str | None = None  # the app's address as agents reach it: links in escalation alerts


def conversation_link(conversation_id: int, public_url: str | None = None) -> str | None:
    """The app's address of one conversation (``INBOX_PUBLIC_URL``), or None when the address is unknown."""
    base = public_url if public_url is not None else Settings().public_url
    return f"{base.rstrip('/')}/conversation?id={conversation_id}" if base else None


def secret(name: str) -> str | None:
    """The value of environment variable ``name``, or None when unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None
