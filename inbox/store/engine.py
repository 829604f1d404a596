"""Engines and schema migrations. One engine per process; callers own their transactions."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger("inbox.store")
MIGRATION_LOCK = 7_220_261_206  # PostgreSQL advisory lock key held while the schema is upgraded
# Prepared statements each SQLite connection keeps (Python's default is 128). A query with an ``IN`` list is
# a new statement for every length of the list, and one with a thousand values holds about 200 KiB: with 128
# of them on each pooled connection, the listener grew 74 MB in eight minutes on the demo's database. Sixteen
# keep the statements a loop repeats; the memory stays flat (docs/benchmarks.md (c)).
SQLITE_STATEMENT_CACHE = 16


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite gets WAL mode, a busy timeout and a small statement cache; its folder is
    created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": 30,
                "cached_statements": SQLITE_STATEMENT_CACHE,
            },
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def _hold_migration_lock(connection: Connection, wait_seconds: float) -> None:
    """Take the database's migration lock for this transaction, waiting while another process migrates:
    PostgreSQL's advisory lock; SQLite's write lock (``BEGIN IMMEDIATE``), which also makes the whole upgrade
    one transaction (a batch table copy is never left half done)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        return
    if connection.dialect.name != "sqlite":
        return
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to the busy timeout (30 s)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            log.info("waiting for another process to finish upgrading the database schema")


def migrate(engine: Engine, wait_seconds: float = 600.0) -> None:
    """Bring the schema up to the newest Alembic revision (creates every table on an empty database); one log
    line when it changed (Alembic's own lines are for ``inbox db upgrade``). Processes started together (the
    workers and the app after a deploy) take turns: the first upgrades, the others then find it done."""
    with engine.begin() as connection:
        _hold_migration_lock(connection, wait_seconds)
        before = MigrationContext.configure(connection).get_current_revision()
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        after = MigrationContext.configure(connection).get_current_revision()
    if after != before:
        log.info("database schema upgraded from %s to %s", before or "an empty database", after)


def open_engine(url: str) -> Engine:
    """An engine with the schema migrated: what every entry point (CLI, app, sandbox demo) uses."""
    engine = make_engine(url)
    migrate(engine)
    return engine
