"""Process settings from the environment (and .env). Secrets are read here, never from config files."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_PATH = Path("var") / "inbox.db"


class Settings(BaseSettings):
    """``INBOX_DATABASE_URL`` picks the store; ``INBOX_CONFIG_DIR`` the config folder; the worker knobs name
    this machine in stream leases and say how long a lease lasts. Read when a process builds what it runs."""

    model_config = SettingsConfigDict(env_prefix="INBOX_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    config_dir: Path = Path("config")
    public_url: str | None = None  # the app's address as agents reach it: links in escalation alerts
    worker_host: str = ""  # INBOX_WORKER_HOST: this machine in lease owners (empty: its host name)
    lease_seconds: float = Field(default=120.0, gt=0)  # INBOX_LEASE_SECONDS: a dead worker's lease lasts this
    session_secret: SecretStr | None = None  # INBOX_SESSION_SECRET: the cookie's key (unset: generated)
    session_hours: float = Field(default=12.0, gt=0)  # INBOX_SESSION_HOURS: a sign-in lasts this long
    oidc_domain: str | None = None  # INBOX_OIDC_DOMAIN: st.login opens NAME for NAME@this domain

    @field_validator("database_url")
    @classmethod
    def _sqlite_or_postgresql(cls, value: str) -> str:
        """SQLite or PostgreSQL; ``postgres://`` (as many hosts and compose files write it) is PostgreSQL.
        The message never repeats the URL: it may hold a password."""
        scheme, sep, rest = value.strip().partition("://")
        backend, plus, driver = scheme.partition("+")
        if backend == "postgres":
            return f"postgresql{plus}{driver}://{rest}"
        if not sep or backend not in ("sqlite", "postgresql"):
            raise ValueError(
                f"{backend + '://' if sep else 'that'} is not a database the inbox uses: "
                "SQLite (sqlite:///var/inbox.db) or PostgreSQL (postgresql://user:password@host/database)"
            )
        return value

    @field_validator("lease_seconds", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return 120.0 if isinstance(value, str) and not value.strip() else value


_LAST: tuple[tuple[object, ...], Settings] | None = None
_VARIABLES = tuple(f"INBOX_{name.upper()}" for name in Settings.model_fields)


def current_settings() -> Settings:
    """``Settings()``, built again only when what it reads changed (its ``INBOX_`` variables, the working
    folder, the ``.env`` file's time): building them costs about a millisecond, and the app asks for them
    for every time it shows (the charter's time zone)."""
    global _LAST
    dotenv = Path(".env")
    key = (
        tuple(os.environ.get(name) for name in _VARIABLES),
        os.getcwd(),
        dotenv.stat().st_mtime if dotenv.exists() else None,
    )
    last = _LAST
    if last is None or last[0] != key:
        last = _LAST = (key, Settings())
    return last[1]


def conversation_link(conversation_id: int, public_url: str | None = None) -> str | None:
    """The app's address of one conversation (``INBOX_PUBLIC_URL``), or None when the address is unknown."""
    base = public_url if public_url is not None else Settings().public_url
    return f"{base.rstrip('/')}/conversation?id={conversation_id}" if base else None


def secret(name: str) -> str | None:
    """The value of environment variable ``name``, or None when unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None
