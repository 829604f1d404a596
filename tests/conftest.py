"""Shared fixtures: a real SQLite file per test, the X sandbox on loopback, channel configs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from inbox.db import open_engine

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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'inbox.db'}"


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
