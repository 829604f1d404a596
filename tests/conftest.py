"""Fixtures for every test folder: a fresh database per test, the X credentials, the X sandbox."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from connectors.sandbox.x.server import XSandbox
from inbox.store.engine import open_engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BRAND_ID = "1000000000000000001"
X_ENV = {
    "X_BEARER_TOKEN": "sandbox-bearer",
    "X_CONSUMER_KEY": "sandbox-consumer",
    "X_CONSUMER_SECRET": "sandbox-consumer-secret",
    "X_ACCESS_TOKEN": f"{BRAND_ID}-sandbox",
    "X_ACCESS_TOKEN_SECRET": "sandbox-token-secret",
}


PG_ADMIN_URL = os.environ.get("INBOX_TEST_POSTGRES_URL")
# The command line takes its language from the environment (LANG…): tests expect English unless they say so.
os.environ["INBOX_LANGUAGE"] = "en"


def x_channel_only(channels_toml: str) -> str:
    """The shipped channels.toml cut to its first table, the X channel (the other demo channels need their own
    sandboxes, which these tests do not start)."""
    tables = channels_toml.split("\n[[channels]]\n")
    assert 'platform = "x"' in tables[1], "the first channel of config/channels.toml must be the X channel"
    return "\n[[channels]]\n".join(tables[:2]).split("\n\n#", 1)[0] + "\n"


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database per test: a SQLite file, or a new PostgreSQL database when the suite runs on
    PostgreSQL (``INBOX_TEST_POSTGRES_URL``, set by ``make test-postgres``)."""
    if not PG_ADMIN_URL:
        yield f"sqlite:///{tmp_path / 'inbox.db'}"
        return
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_url(PG_ADMIN_URL)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = open_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def x_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key, value in X_ENV.items():
        monkeypatch.setenv(key, value)
    return dict(X_ENV)


@pytest.fixture
def sandbox() -> Iterator[XSandbox]:
    """The X sandbox on loopback for the brand @AcmeCare (a module may override ``sandbox`` with another
    platform's)."""
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sb:
        yield sb
