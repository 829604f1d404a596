"""Migration 0029 adds ``conversation.clock_started_at`` (where the running clock started) beside rows in use:
a conversation stored before it has none, and its clock start is then derived from its messages as before."""

from __future__ import annotations

from sqlalchemy import Engine, text

from inbox.store.engine import migrate
from tests.support.old_schema import add_conversation, downgrade_to


def test_the_clock_start_column_is_added_beside_rows_in_use(engine: Engine) -> None:
    downgrade_to(engine, "0028")
    with engine.begin() as c:
        add_conversation(c)
    migrate(engine)
    with engine.connect() as c:
        assert c.execute(text("SELECT clock_started_at FROM conversation")).scalar_one() is None
        assert c.execute(text("SELECT count(*) FROM conversation")).scalar_one() == 1
