"""Fixtures of the page tests: the app's settings pointed at a freshly seeded desk database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.seed_desk import Seeded
from tests.support.ui import seeded_app


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """The desk seed (tests/support/seed_desk.py); a module may override it with more rows."""
    yield from seeded_app(db_url, monkeypatch)
