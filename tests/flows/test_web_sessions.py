"""Sessions that survive a reload (#15.9), the server's side: a signed cookie naming a server-side session
that expires, ends on sign-out, and ends for every browser of an account deactivated, ended or given a new
password (inbox.desk.web_sessions, inbox.desk.accounts.resume). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.policies import Retention
from inbox.desk import accounts, web_sessions
from inbox.privacy import retention
from inbox.store.tables import AuditEvent, ServerSecret, User, WebSession
from tests.support.seed_desk import add_user

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
HOURS = timedelta(hours=12)
KEY = b"k" * 32


def _start(engine: Engine, name: str = "sam", role: str = "agent") -> tuple[int, str]:
    with Session(engine) as s, s.begin():
        user_id = add_user(s, name, role)
        cookie, expires = web_sessions.start(s, user_id, KEY, NOW, HOURS)
    assert expires == NOW + HOURS
    return user_id, cookie


def _resume(engine: Engine, cookie: str, at: datetime, key: bytes = KEY) -> str | None:
    with Session(engine) as s, s.begin():
        user = accounts.resume(s, cookie, key, at)
        return user.name if user else None


def test_a_cookie_signs_its_user_in_again_until_it_expires(engine: Engine) -> None:
    _, cookie = _start(engine)
    assert _resume(engine, cookie, NOW + timedelta(hours=1)) == "sam"
    assert _resume(engine, cookie, NOW + HOURS) is None  # expired
    with Session(engine) as s:
        resumed = s.exec(select(AuditEvent).where(AuditEvent.action == "auth.session_resumed")).all()
        stored = s.exec(select(WebSession)).one()
    assert [e.actor for e in resumed] == ["sam"]
    assert cookie.split(".")[0] not in stored.token_hash  # only a hash of the id is kept


def test_a_forged_or_foreign_cookie_is_refused(engine: Engine) -> None:
    _, cookie = _start(engine)
    session_id, _dot, signature = cookie.partition(".")
    assert _resume(engine, f"{session_id}.{'A' * len(signature)}", NOW) is None
    assert _resume(engine, session_id, NOW) is None  # unsigned
    assert _resume(engine, cookie, NOW, key=b"another server's key") is None
    assert _resume(engine, "", NOW) is None
    assert _resume(engine, cookie, NOW) == "sam"


def test_signing_out_ends_that_session_only(engine: Engine) -> None:
    user_id, first = _start(engine)
    with Session(engine) as s, s.begin():
        second, _ = web_sessions.start(s, user_id, KEY, NOW, HOURS)
        assert web_sessions.revoke(s, first, KEY, NOW, "signed out")
        assert not web_sessions.revoke(s, first, KEY, NOW, "signed out")  # already ended
    assert _resume(engine, first, NOW) is None
    assert _resume(engine, second, NOW) == "sam"


def test_deactivating_ending_or_resetting_an_account_ends_its_sessions(engine: Engine) -> None:
    _, cookie = _start(engine)
    with Session(engine) as s, s.begin():
        add_user(s, "ada", "admin")
        others = [web_sessions.start(s, add_user(s, n), KEY, NOW, HOURS)[0] for n in ("kim", "lou")]
    steps = [
        (cookie, lambda s: accounts.deactivate(s, accounts.OPERATOR, "sam", NOW), "deactivated"),
        (others[0], lambda s: accounts.set_end_date(s, accounts.OPERATOR, "kim", NOW, NOW), "account ended"),
        (
            others[1],
            lambda s: accounts.reset_password(s, accounts.OPERATOR, "lou", "a-brand-new-password", NOW),
            "password reset",
        ),
    ]
    for live, change, why in steps:
        assert _resume(engine, live, NOW) is not None
        with Session(engine) as s, s.begin():
            change(s)
        assert _resume(engine, live, NOW) is None
        with Session(engine) as s:
            assert {r.revoked_why for r in s.exec(select(WebSession)) if r.revoked_at} >= {why}


def test_an_account_ended_meanwhile_is_not_resumed(engine: Engine) -> None:
    user_id, cookie = _start(engine)
    with Session(engine) as s, s.begin():
        user = s.get(User, user_id)
        assert user is not None
        user.active_until = NOW + timedelta(hours=2)  # a temporary account's last day passes
    assert _resume(engine, cookie, NOW + timedelta(hours=3)) is None
    assert _resume(engine, cookie, NOW + timedelta(hours=1)) is None  # revoked on the way


def test_the_signing_key_is_generated_once_and_shared(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        first = web_sessions.cookie_key(s, None, NOW)
    with Session(engine) as s, s.begin():
        again = web_sessions.cookie_key(s, None, NOW)
        assert web_sessions.cookie_key(s, "from-the-environment", NOW) == b"from-the-environment"
        assert len(s.exec(select(ServerSecret)).all()) == 1
    assert first == again and len(first) == 64


def test_sessions_go_with_the_audit_logs_retention(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        user_id = add_user(s, "sam")
        web_sessions.start(s, user_id, KEY, NOW - timedelta(days=400), HOURS)
        web_sessions.start(s, user_id, KEY, NOW - timedelta(days=10), HOURS)
    report = retention.purge(engine, Retention(audit_days=365), NOW, actor="test")
    assert report.web_sessions == 1
    with Session(engine) as s:
        (kept,) = s.exec(select(WebSession)).all()
    assert kept.created_at == NOW - timedelta(days=10)
    assert retention.purge(engine, Retention(), NOW, actor="test").web_sessions == 0  # unset: kept
