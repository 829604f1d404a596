"""Issue #12.5: failed sign-ins never store what was typed as a name, throttle by client address as well as by
name, and an admin (or the operator's ``inbox user unlock``) lifts a lock-out. Real database (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.desk import auth, sign_in
from inbox.store.tables import AuditEvent

NOW = datetime.now(UTC) - timedelta(minutes=1)  # before the command line's own clock


@pytest.fixture(autouse=True)
def _a_minute_ago() -> None:
    """Each test's attempts are a minute before the real now when it starts, not before the module's import:
    the command line reads the clock, and in a long suite the import comes many minutes earlier."""
    global NOW
    NOW = datetime.now(UTC) - timedelta(minutes=1)


@pytest.fixture
def users(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        auth.create_user(s, "alex", "right-pass", "agent", actor="cli")


def _attempt(engine: Engine, name: str, password: str, client: str | None = "10.0.0.1") -> bool:
    with Session(engine) as s, s.begin():
        return sign_in.sign_in(s, name, password, client=client, now=NOW) is not None


def _audit(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action.startswith("auth."))))  # type: ignore[attr-defined]


def test_a_password_typed_as_a_name_is_never_stored(engine: Engine, users: None) -> None:
    assert not _attempt(engine, "S3cret-Passw0rd!", "")
    assert not _attempt(engine, "alex", "wrong")
    stored = " ".join(f"{e.actor} {e.target_id} {e.detail}" for e in _audit(engine))
    assert "S3cret" not in stored and "s3cret" not in stored
    assert [e.actor for e in _audit(engine)] == [sign_in.UNKNOWN, "alex"]


def test_one_password_across_many_names_is_throttled_by_client(engine: Engine, users: None) -> None:
    for i in range(sign_in.MAX_PER_CLIENT):
        assert not _attempt(engine, f"name{i}", "Winter2026")
    assert not _attempt(engine, "alex", "right-pass")  # even the right password, from that client
    assert _attempt(engine, "alex", "right-pass", client="10.0.0.2")


def test_an_admin_unlocks_a_locked_out_name(engine: Engine, users: None) -> None:
    for _ in range(sign_in.MAX_PER_NAME):
        assert not _attempt(engine, "alex", "wrong", client=None)
    assert not _attempt(engine, "alex", "right-pass", client="10.9.9.9")
    with Session(engine) as s, s.begin(), pytest.raises(sign_in.UnlockError):
        sign_in.unlock(s, "alex", by="alex", by_role="agent", now=NOW)
    with Session(engine) as s, s.begin():
        sign_in.unlock(s, "alex", by="ada", by_role="admin", now=NOW)
    assert _attempt(engine, "alex", "right-pass", client="10.9.9.9")


def test_the_operator_unlocks_from_the_command_line(
    engine: Engine, users: None, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from inbox.cli.main import _register_commands, app

    _register_commands()

    for _ in range(sign_in.MAX_PER_NAME):
        _attempt(engine, "alex", "wrong")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["user", "unlock", "alex"])
    assert result.exit_code == 0, result.output
    with Session(engine) as s:
        assert not sign_in.name_locked(s, "alex", NOW)
