"""Accounts managed (#15.8): `inbox user deactivate|reactivate|role|password|until`, the rules behind them
(inbox.desk.accounts) and what sign-in makes of them; every change audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from inbox.access import PermissionDenied
from inbox.cli.users import register
from inbox.desk import accounts, auth
from inbox.store.tables import AuditEvent, User

GOOD = "a-long-enough-password"


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    return CliRunner()


def _inbox(runner: CliRunner, *args: str, stdin: str | None = None) -> Result:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """inbox"""

    register(app)
    return runner.invoke(app, list(args), input=stdin)


def _user(engine: Engine, name: str) -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.name == name)).one()


def _signs_in(engine: Engine, name: str, password: str, at: datetime | None = None) -> bool:
    with Session(engine) as s, s.begin():
        return auth.authenticate(s, name, password, now=at) is not None


def _actions(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return [e.action for e in s.exec(select(AuditEvent)) if e.action.startswith("user.")]


def test_the_operator_manages_accounts_from_the_command_line(cli: CliRunner, engine: Engine) -> None:
    short = _inbox(cli, "user", "add", "sam", "--role", "agent", "--password-stdin", stdin="eleven-char\n")
    assert short.exit_code == 2 and "at least 12 characters" in short.output
    for name, role in (("ada", "admin"), ("sam", "agent")):
        added = _inbox(cli, "user", "add", name, "--role", role, "--password-stdin", stdin=GOOD + "\n")
        assert added.exit_code == 0, added.output
    assert _signs_in(engine, "sam", GOOD)

    assert _inbox(cli, "user", "deactivate", "sam").exit_code == 0
    assert not _signs_in(engine, "sam", GOOD)
    assert _inbox(cli, "user", "reactivate", "sam").exit_code == 0
    assert _signs_in(engine, "sam", GOOD)

    assert _inbox(cli, "user", "role", "sam", "manager").exit_code == 0
    assert _user(engine, "sam").role == "manager"
    assert _inbox(cli, "user", "role", "sam", "boss").exit_code == 2

    refused = _inbox(cli, "user", "password", "sam", "--password-stdin", stdin="short\n")
    assert refused.exit_code == 2 and "at least 12" in refused.output
    reset = _inbox(cli, "user", "password", "sam", "--password-stdin", stdin="another-long-password\n")
    assert reset.exit_code == 0
    assert not _signs_in(engine, "sam", GOOD) and _signs_in(engine, "sam", "another-long-password")

    assert _inbox(cli, "user", "until", "sam", "2020-01-31").exit_code == 0  # already past: ended
    assert not _signs_in(engine, "sam", "another-long-password")
    assert _inbox(cli, "user", "until", "sam", "none").exit_code == 0
    assert _signs_in(engine, "sam", "another-long-password")
    assert _inbox(cli, "user", "until", "sam", "2026-12-31T18:00").exit_code == 2  # a time needs its offset

    last = _inbox(cli, "user", "deactivate", "ada")
    assert last.exit_code == 2 and "last admin" in last.output
    assert _inbox(cli, "user", "role", "ada", "agent").exit_code == 2
    assert _inbox(cli, "user", "deactivate", "nobody").exit_code == 2
    assert _actions(engine) == [
        "user.created",
        "user.created",
        "user.deactivated",
        "user.reactivated",
        "user.role",
        "user.password_reset",
        "user.end_date",
        "user.end_date",
    ]
    with Session(engine) as s:
        details = " ".join(str(e.detail) for e in s.exec(select(AuditEvent)))
    assert "another-long-password" not in details and GOOD not in details


def test_a_temporary_account_signs_in_until_its_end_date_only(engine: Engine) -> None:
    t0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    end = t0 + timedelta(days=14)
    with Session(engine) as s, s.begin():
        auth.create_user(s, "ada", GOOD, "admin", actor="test")
        auth.create_user(s, "temp", GOOD, "agent", actor="test")
        ada = s.exec(select(User).where(User.name == "ada")).one()
        accounts.set_end_date(s, ada, "temp", end, t0)
    assert _signs_in(engine, "temp", GOOD, t0)
    assert _signs_in(engine, "temp", GOOD, end - timedelta(seconds=1))
    assert not _signs_in(engine, "temp", GOOD, end)
    assert accounts.may_sign_in(_user(engine, "temp"), t0)
    assert not accounts.may_sign_in(_user(engine, "temp"), end + timedelta(days=1))


def test_only_admins_manage_accounts(engine: Engine) -> None:
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        manager = auth.create_user(s, "mia", GOOD, "manager", actor="test")
        auth.create_user(s, "sam", GOOD, "agent", actor="test")
        for act in (
            lambda: accounts.deactivate(s, manager, "sam", now),
            lambda: accounts.set_role(s, manager, "mia", "admin", now),
            lambda: accounts.reset_password(s, manager, "sam", GOOD + "!", now),
            lambda: accounts.set_end_date(s, manager, "sam", now, now),
        ):
            with pytest.raises(PermissionDenied):
                act()
    assert _user(engine, "sam").active and _user(engine, "mia").role == "manager"


def test_the_languages_a_user_speaks_are_language_codes(cli: CliRunner, engine: Engine) -> None:
    bad = _inbox(
        cli, "user", "add", "sam", "--role", "agent", "--languages", "french", "--password-stdin", stdin=GOOD
    )
    assert bad.exit_code == 2 and "'french' is not a language code" in bad.output
    added = _inbox(
        cli,
        "user",
        "add",
        "sam",
        "--role",
        "agent",
        "--languages",
        "FR, en,fr",
        "--password-stdin",
        stdin=GOOD,
    )
    assert added.exit_code == 0, added.output
    assert _user(engine, "sam").languages == ["fr", "en"]  # lower-cased, each once
    changed = _inbox(cli, "user", "languages", "sam", "es,fr")
    assert changed.exit_code == 0 and "speaks es,fr" in changed.output
    assert _user(engine, "sam").languages == ["es", "fr"]
    assert _inbox(cli, "user", "languages", "sam", "fra").exit_code == 2
    assert _user(engine, "sam").languages == ["es", "fr"]
    with Session(engine) as s:
        (event,) = s.exec(select(AuditEvent).where(AuditEvent.action == "user.languages")).all()
    assert event.actor == "cli" and event.detail == {"name": "sam", "from": ["fr", "en"], "to": ["es", "fr"]}


def test_the_operator_sets_a_capacity_within_bounds(cli: CliRunner, engine: Engine) -> None:
    added = _inbox(cli, "user", "add", "sam", "--role", "agent", "--password-stdin", stdin=GOOD)
    assert added.exit_code == 0 and _user(engine, "sam").capacity == 20
    assert _inbox(cli, "user", "capacity", "sam", "5").exit_code == 0
    assert _user(engine, "sam").capacity == 5
    for bad in ("0", "201"):
        refused = _inbox(cli, "user", "capacity", "sam", bad)
        assert refused.exit_code == 2 and "from 1 to 200" in refused.output
    assert _user(engine, "sam").capacity == 5
    with Session(engine) as s:
        (event,) = s.exec(select(AuditEvent).where(AuditEvent.action == "user.capacity")).all()
    assert event.detail == {"name": "sam", "from": 20, "to": 5}
