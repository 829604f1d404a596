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


def secret(name: str) -> str | None:
    """The value of environment variable ``name``, or None when unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None
