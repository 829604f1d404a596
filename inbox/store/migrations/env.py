"""Alembic environment: runs on the connection handed over by inbox.store.engine.migrate (or a URL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import inbox.store.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from inbox.settings import Settings
from inbox.store.engine import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = config.attributes.get("engine") or make_engine(Settings().database_url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
