"""Local accounts: argon2 hashes, roles, audited sign-in, the `inbox user` commands and the demo users."""

from __future__ import annotations

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from inbox.access import can
from inbox.cli.users import register
from inbox.desk import auth
from inbox.jobs.demo import seed_demo_users
from inbox.store.tables import AuditEvent, User


def test_passwords_are_stored_as_argon2id_hashes(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        auth.create_user(s, "Alice", "correct horse", "agent", actor="test")
    with Session(engine) as s:
        user = s.exec(select(User)).one()
    assert user.name == "alice" and user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    assert auth.verify_password(user.password_hash, "correct horse")
    assert not auth.verify_password(user.password_hash, "Correct horse")
    assert not auth.verify_password("not a hash", "x")


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("a", "secret", "agent", "2-32 characters"),
        ("bob smith", "secret", "agent", "2-32 characters"),
        ("bob", "secret", "boss", "role must be one of"),
        ("bob", "abc", "agent", "at least 4"),
        ("alice", "secret", "agent", "already exists"),
    ],
)
def test_create_user_refuses_bad_input(
    engine: Engine, name: str, password: str, role: str, message: str
) -> None:
    with Session(engine) as s, s.begin():
        auth.create_user(s, "alice", "secret", "agent", actor="test")
    with Session(engine) as s, pytest.raises(auth.AuthError, match=message):
        auth.create_user(s, name, password, role, actor="test")


def test_sign_in_is_audited_either_way(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        auth.create_user(s, "alice", "secret", "agent", actor="test")
    with Session(engine) as s, s.begin():
        assert auth.authenticate(s, "alice", "wrong") is None
        assert auth.authenticate(s, "nobody", "secret") is None
        user = auth.authenticate(s, " Alice ", "secret")
        assert user is not None and user.name == "alice"
        user.active = False
    with Session(engine) as s, s.begin():
        assert auth.authenticate(s, "alice", "secret") is None  # deactivated
    with Session(engine) as s:
        events = [
            (e.actor, e.action, e.detail.get("reason"))
            for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.id)))
        ]
    assert events[1:] == [
        ("alice", "auth.sign_in_failed", "bad password"),
        ("nobody", "auth.sign_in_failed", "unknown user"),
        ("alice", "auth.signed_in", None),
        ("alice", "auth.sign_in_failed", "inactive"),
    ]


@pytest.mark.parametrize(
    ("role", "work", "templates", "users"),
    [
        ("agent", True, False, False),
        ("manager", True, True, False),
        ("admin", True, True, True),
        ("x", False, False, False),
    ],
)
def test_roles(role: str, work: bool, templates: bool, users: bool) -> None:
    assert (can(role, "work"), can(role, "templates"), can(role, "users")) == (
        work,
        templates,
        users,
    )


def _cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """inbox"""

    register(app)
    return app


def test_user_add_and_list_commands(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    runner, app = CliRunner(), _cli()
    add = ["user", "add", "marie", "--role", "manager", "--password-stdin", "--languages", "fr,en"]
    result = runner.invoke(app, add, input="s3cret-passphrase\n")
    assert result.exit_code == 0 and "user 'marie' added (Community manager)" in result.output
    prompted = runner.invoke(
        app, ["user", "add", "paul", "--role", "agent"], input="pw-1234-5678\npw-1234-5678\n"
    )
    assert prompted.exit_code == 0 and "Password" in prompted.output
    again = runner.invoke(app, add, input="other-password\n")
    assert again.exit_code == 2 and "already exists" in again.output
    listing = runner.invoke(app, ["user", "list"])
    assert "marie" in listing.output and "manager" in listing.output and "fr,en" in listing.output
    assert "s3cret" not in listing.output


def test_demo_users_are_created_only_in_an_empty_users_table(db_url: str, engine: Engine) -> None:
    assert seed_demo_users(db_url) == ["agent", "manager", "admin"]
    assert seed_demo_users(db_url) == []
    with Session(engine) as s, s.begin():
        assert auth.authenticate(s, "agent", "agent") is not None
        manager = auth.authenticate(s, "manager", "manager")
        assert manager is not None and manager.role == "manager"


def test_repeated_failures_lock_the_name_for_a_while(engine: Engine) -> None:
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with Session(engine) as s, s.begin():
        auth.create_user(s, "alice", "secret", "agent", actor="test")
    with Session(engine) as s, s.begin():
        for i in range(auth.MAX_FAILURES):
            assert auth.authenticate(s, "alice", f"guess{i}", now=t0 + timedelta(seconds=i)) is None
        assert auth.authenticate(s, "alice", "secret", now=t0 + timedelta(minutes=1)) is None  # locked
        assert auth.authenticate(s, "bob", "x", now=t0 + timedelta(minutes=1)) is None
        assert auth.authenticate(s, "alice", "secret", now=t0 + timedelta(minutes=16)) is not None
    with Session(engine) as s:
        blocked = s.exec(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_blocked")).all()
    assert [e.actor for e in blocked] == ["alice"]
