"""A database taken back to an earlier migration and given rows as they were stored then, for the tests of
the migrations that rewrite stored rows (raw SQL: the models follow the newest schema)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, Engine, text

from inbox.store.engine import alembic_config

WHEN = "2026-01-01"


def downgrade_to(engine: Engine, revision: str) -> None:
    """Run the migrations down to ``revision``."""
    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def add_conversation(c: Connection, contact: tuple[str, str] | None = None) -> None:
    """Channel 1 (X, @acme) and its conversation 1; with ``contact`` (handle, display name), contact 1 too."""
    c.execute(
        text(
            "INSERT INTO channel (name, platform, account, reads_used, created_at) "
            "VALUES ('x', 'x', 'acme', 0, :at)"
        ),
        {"at": WHEN},
    )
    if contact:
        c.execute(
            text(
                "INSERT INTO contact (channel_id, platform_id, handle, display_name, tags, created_at, "
                "updated_at) VALUES (1, 'u1', :handle, :name, '[]', :at, :at)"
            ),
            {"handle": contact[0], "name": contact[1], "at": WHEN},
        )
    c.execute(
        text(
            "INSERT INTO conversation (channel_id, thread_key, visibility, kind, status, tags, contact_id, "
            "created_at) VALUES (1, 't', 'public', 'mention', 'open', '[]', :contact, :at)"
        ),
        {"contact": 1 if contact else None, "at": WHEN},
    )


def add_agent(c: Connection) -> None:
    """User 1, the agent 'kim', as the users table stood before 0024."""
    c.execute(
        text(
            "INSERT INTO app_user (name, password_hash, role, languages, capacity, channels, active, "
            "created_at) VALUES ('kim', 'x', 'agent', '[]', 20, '[]', true, :at)"
        ),
        {"at": WHEN},
    )
