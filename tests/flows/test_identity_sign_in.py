"""Sign-in through the team's identity provider (#15.9, inbox.desk.identity): an address of the team's domain
opens the local account of the same name, if it may sign in; any other address opens nothing, audited without
the address. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.desk import accounts, identity
from inbox.store.tables import AuditEvent
from tests.support.seed_desk import add_user

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("alice@acme.fr", "alice"),
        ("Alice@ACME.fr", "alice"),
        ("alice@elsewhere.example", None),
        ("alice@sub.acme.fr", None),
        ("alice", None),
        ("@acme.fr", None),
        (None, None),
    ],
)
def test_only_the_teams_addresses_name_an_account(email: str | None, name: str | None) -> None:
    assert identity.account_name(email, "acme.fr") == name


def _sign_in(engine: Engine, email: str, at: datetime = NOW) -> str | None:
    with Session(engine) as s, s.begin():
        user = identity.sign_in(s, email, "acme.fr", at)
        return user.name if user else None


def test_the_provider_opens_active_accounts_only(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        add_user(s, "alice")
        add_user(s, "ada", "admin")
    assert _sign_in(engine, "alice@acme.fr") == "alice"
    assert _sign_in(engine, "nobody@acme.fr") is None
    assert _sign_in(engine, "alice@elsewhere.example") is None
    with Session(engine) as s, s.begin():
        accounts.set_end_date(s, accounts.OPERATOR, "alice", NOW + timedelta(days=1), NOW)
    assert _sign_in(engine, "alice@acme.fr", NOW + timedelta(days=2)) is None  # her last day is over
    with Session(engine) as s:
        events = s.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("auth.")).order_by(col(AuditEvent.id))
        )
        trail = [(e.actor, e.action, e.detail) for e in events]
    assert trail == [
        ("alice", "auth.signed_in", {"via": "oidc"}),
        ("unknown user", "auth.sign_in_failed", {"reason": "unknown identity", "via": "oidc"}),
        ("unknown user", "auth.sign_in_failed", {"reason": "unknown identity", "via": "oidc"}),
        ("alice", "auth.sign_in_failed", {"reason": "inactive", "via": "oidc"}),
    ]
    assert "nobody" not in str(trail) and "elsewhere" not in str(trail)
