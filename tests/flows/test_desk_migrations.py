"""Migrations 0024–0026 on a database with rows in it: an agent's status, a conversation's snooze, a password
to change. Each adds a column beside rows other tables point at (a user with a note and an activity row, a
conversation): on SQLite the table must be altered in place, never copied and dropped (the foreign keys
forbid dropping a table in use; the demo's database stopped at 0026 that way)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from inbox.store.engine import migrate
from tests.support.old_schema import WHEN, add_agent, add_conversation, downgrade_to


def test_the_desk_columns_are_added_beside_rows_in_use(engine: Engine) -> None:
    downgrade_to(engine, "0023")
    with engine.begin() as c:
        add_conversation(c)
        add_agent(c)
        c.execute(
            text("INSERT INTO note (conversation_id, author_id, text, created_at) VALUES (1, 1, 'vu', :at)"),
            {"at": WHEN},
        )
        c.execute(text("INSERT INTO agent_activity (user_id, seen_at) VALUES (1, :at)"), {"at": WHEN})
        c.execute(text("UPDATE conversation SET assignee_id = 1 WHERE id = 1"))
    migrate(engine)
    with engine.connect() as c:
        assert c.execute(text("SELECT status FROM agent_activity")).scalar_one() == "available"
        assert c.execute(text("SELECT snoozed_until FROM conversation")).scalar_one() is None
        assert not c.execute(text("SELECT must_change_password FROM app_user")).scalar_one()
        assert c.execute(text("SELECT count(*) FROM note")).scalar_one() == 1
