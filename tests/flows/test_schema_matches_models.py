"""The schema the migrations build is the one the models declare: a column, index or constraint added to a
table class without its migration (or the reverse) would only show on a database migrated in production."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import inbox.store.tables  # noqa: F401  (every table class registers itself on SQLModel.metadata)


def test_the_migrated_schema_has_no_difference_from_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
