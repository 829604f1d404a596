"""Driving the Streamlit app through AppTest: a seeded database behind it, signed in as a desk user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences, web_sessions
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent
from inbox.ui.common import SELECTED, USER, forget_engine
from inbox.ui.session_cookie import SESSION
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded, seed

APP = str(ROOT / "app.py")


def seeded_app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """The app's settings pointed at a fresh seeded database (and the repository's config)."""
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))
    engine = open_engine(db_url)
    yield seed(engine, datetime.now(UTC))
    engine.dispose()
    forget_engine(db_url)


def app_as(seeded: Seeded, user: str | None) -> AppTest:
    """The app after its first run, signed in as ``user`` (a name of the seed), or at the sign-in page."""
    at = AppTest.from_file(APP, default_timeout=30)
    if user is not None:
        at.session_state[USER] = seeded.users[user]
    return at.run()


def open_conv(at: AppTest, conv_id: int) -> AppTest:
    """The conversation page of ``conv_id``, as the queue's button opens it."""
    at.session_state[SELECTED] = conv_id
    return at.switch_page("inbox/ui/pages/conversation.py").run()


def queue_ids(at: AppTest) -> list[int]:
    """The conversations the queue lists, in its order."""
    return [int(str(b.key).removeprefix("open-")) for b in at.button if str(b.key).startswith("open-")]


def audit_actions(db_url: str) -> list[str]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))]  # type: ignore[arg-type]
    engine.dispose()
    return actions


def audit_events(db_url: str, action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first."""
    engine = open_engine(db_url)
    with Session(engine) as s:
        stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)  # type: ignore[arg-type]
        events = list(s.exec(stmt))
    engine.dispose()
    return events


@contextmanager
def database(db_url: str) -> Iterator[Session]:
    """A session on the app's database, to check what a page wrote (the engine closed after)."""
    engine = open_engine(db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def in_french(db_url: str, user_id: int) -> None:
    """The user's screens in French (their own preference, as the sidebar's picker sets it)."""
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, user_id, "fr", by="test", by_role="admin")
    engine.dispose()


def french_conversation(seeded: Seeded, db_url: str, user: str, conv_id: int) -> AppTest:
    """``user``'s conversation page of ``conv_id`` in French; keep ``i18n.use_language("fr")`` around what
    follows (AppTest formats option values in the test's thread)."""
    in_french(db_url, seeded.users[user])
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER], at.session_state[SELECTED] = seeded.users[user], conv_id
    with i18n.use_language("fr"):
        at.run().switch_page("inbox/ui/pages/conversation.py").run()
    return at


def browser_of(seeded: Seeded, db_url: str, name: str, secret: str) -> AppTest:
    """``name`` signed in with a session cookie signed with ``secret`` (``INBOX_SESSION_SECRET``), as after
    the sign-in page."""
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        cookie, _ = web_sessions.start(
            s, seeded.users[name], secret.encode(), datetime.now(UTC), timedelta(hours=12)
        )
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER], at.session_state[SESSION] = seeded.users[name], cookie
    return at.run()


def signed_in(at: AppTest) -> bool:
    """Whether the next run of ``at`` still shows the app rather than the sign-in page."""
    at.run()
    return not any(t.key == "sign-in-password" for t in at.text_input)
