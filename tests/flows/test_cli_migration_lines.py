"""Every command migrates the database on start; it says so in one line when it did, never in Alembic's
lines at each command (they buried `inbox report`'s table), and `inbox db upgrade` still lists each
revision it applies."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_process import run_inbox


def _inbox(database: Path, *args: str) -> str:
    done = run_inbox({"INBOX_DATABASE_URL": f"sqlite:///{database}", "INBOX_LANGUAGE": "en"}, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_a_command_says_once_that_it_created_the_schema_then_nothing(tmp_path: Path) -> None:
    database = tmp_path / "inbox.db"
    first = _inbox(database, "quarantine", "list")
    assert "database schema upgraded from an empty database to " in first and "alembic" not in first
    again = _inbox(database, "quarantine", "list")
    assert again.strip() == "quarantine is empty"


def test_db_upgrade_lists_each_revision(tmp_path: Path) -> None:
    out = _inbox(tmp_path / "inbox.db", "db", "upgrade")
    assert "Running upgrade  -> 0001, initial schema" in out and "database is up to date" in out
