"""Schema upgrades as a deploy meets them: every process (workers, senders, the app) migrates on start, so
after a release with new revisions several start upgrading at once. They take turns (SQLite's write lock,
PostgreSQL's advisory lock): before, two of three crashed on "table role_scope already exists". And an
upgrade that fails leaves the schema as it was, on SQLite too (one transaction, no half-copied table)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import Engine, inspect, text

from inbox.store.engine import migrate
from tests.conftest import ROOT
from tests.support.old_schema import downgrade_to

START_TOGETHER = """
import sys, time
from inbox.store.engine import open_engine
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
open_engine(sys.argv[1]).dispose()
"""


def _revision(engine: Engine) -> str:
    with engine.connect() as c:
        return str(c.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def test_processes_started_together_take_turns_upgrading(engine: Engine, db_url: str) -> None:
    head = _revision(engine)
    downgrade_to(engine, "0020")
    at = str(time.time() + 3)  # all three past their imports, then released at one moment
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", START_TOGETHER, db_url, at],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    failures = [err for p in procs if (err := p.communicate(timeout=120)[1]) and p.returncode != 0]
    assert failures == []
    assert _revision(engine) == head
    assert not [t for t in inspect(engine).get_table_names() if t.startswith("_alembic_tmp")]


def test_a_failed_upgrade_leaves_the_schema_as_it_was(engine: Engine) -> None:
    downgrade_to(engine, "0023")
    with engine.begin() as c:  # 0026 adds this column: its upgrade fails after 0024 and 0025 ran
        c.execute(text("ALTER TABLE app_user ADD COLUMN must_change_password BOOLEAN"))
    with pytest.raises(Exception, match="must_change_password"):
        migrate(engine)
    assert _revision(engine) == "0023"
    assert "status" not in {col["name"] for col in inspect(engine).get_columns("agent_activity")}  # 0024's
    assert "snoozed_until" not in {col["name"] for col in inspect(engine).get_columns("conversation")}
