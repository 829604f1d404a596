"""Browser tests: the app over the desk seed (tests/support/seed_desk.py), alice speaks English."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from inbox.desk import preferences
from inbox.jobs.demo import seed_demo_users
from inbox.store.engine import open_engine
from tests.conftest import ROOT
from tests.support.e2e import Processes, app_ready, free_port, launch_app
from tests.support.seed_desk import Seeded, seed


@pytest.fixture
def desk_config() -> Path:
    """The config folder the app reads: the repository's (read only); a module whose test saves config
    (the charter's write-back) overrides this fixture with a copy."""
    return ROOT / "config"


@pytest.fixture
def desk_app(tmp_path: Path, desk_config: Path) -> Iterator[dict[str, Any]]:
    """``streamlit run app.py`` over the seeded desk: url, seeded, procs and an engine on its database."""
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    seed_demo_users(db_url)  # migrates the schema
    engine = open_engine(db_url)
    seeded: Seeded = seed(engine, datetime.now(UTC))
    with Session(engine) as session, session.begin():
        preferences.set_language(session, seeded.users["alice"], "en", by="test", by_role="admin")
    env = {**os.environ, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(desk_config)}
    env.pop("INBOX_DEMO", None)
    procs = Processes(env, tmp_path)
    try:
        url = launch_app(procs, free_port())
        app_ready(procs, url)
        yield {"url": url, "seeded": seeded, "procs": procs, "engine": engine}
    finally:
        procs.stop()
        engine.dispose()
