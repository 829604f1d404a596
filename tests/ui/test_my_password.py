"""Anyone changes their own password from the sidebar ("My password"): the current one first, the new one
twice; this browser stays signed in, the person's other browsers are signed out; audited without the
password. In English and French."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import auth
from inbox.store.engine import open_engine
from tests.support.seed_desk import Seeded
from tests.support.ui import audit_events, browser_of, database, in_french, signed_in

SECRET = "a-test-session-secret"
NEW = "a-brand-new-long-password"


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_SESSION_SECRET", SECRET)


def _browser_of(seeded: Seeded, db_url: str, name: str) -> AppTest:
    return browser_of(seeded, db_url, name, SECRET)


def _change(at: AppTest, current: str, new: str, again: str | None = None) -> AppTest:
    at.text_input(key="my-password-current").input(current)
    at.text_input(key="my-password-new").input(new)
    at.text_input(key="my-password-again").input(new if again is None else again)
    return at.button[[b.label for b in at.button].index(_submit_label(at))].click().run()


def _submit_label(at: AppTest) -> str:
    return next(b.label for b in at.button if b.label in ("Change my password", "Changer mon mot de passe"))


def _messages(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.success, *at.error])


def _password_is(db_url: str, name: str, password: str) -> bool:
    with database(db_url) as s:
        return auth.authenticate(s, name, password) is not None


def test_an_agent_changes_her_password_and_her_other_browsers_sign_out(seeded: Seeded, db_url: str) -> None:
    other = _browser_of(seeded, db_url, "alice")
    here = _browser_of(seeded, db_url, "alice")
    _change(here, "alice-pw", NEW)
    assert "Your password is changed. Your other browsers are signed out." in _messages(here)
    assert _password_is(db_url, "alice", NEW)
    assert not _password_is(db_url, "alice", "alice-pw")
    assert signed_in(here) and not signed_in(other)
    (event,) = audit_events(db_url, "user.password_changed")
    assert event.actor == "alice" and event.detail == {"name": "alice", "other_sessions_ended": 1}
    assert NEW not in str(event.detail)


@pytest.mark.parametrize(
    ("current", "new", "again", "said"),
    [
        ("not-her-password", NEW, None, "Not changed: the current password is not right"),
        ("alice-pw", "short", None, "Not changed: the password must have at least 12 characters"),
        ("alice-pw", NEW, NEW + "x", "Not changed: the two new passwords differ."),
    ],
)
def test_a_change_is_refused_with_its_reason(
    seeded: Seeded, db_url: str, current: str, new: str, again: str | None, said: str
) -> None:
    here = _browser_of(seeded, db_url, "alice")
    _change(here, current, new, again)
    assert said in _messages(here)
    assert _password_is(db_url, "alice", "alice-pw") and signed_in(here)
    refused = audit_events(db_url, "user.password_change_refused")
    assert [e.detail for e in refused] == (
        [{"name": "alice", "reason": "wrong current password"}] if current != "alice-pw" else []
    )


def test_the_same_password_again_is_refused(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        auth.create_user(s, "long", NEW, "agent", actor="test")
    engine.dispose()
    seeded.users["long"] = _id(db_url, "long")
    here = _browser_of(seeded, db_url, "long")
    _change(here, NEW, NEW)
    assert "Not changed: the new password is the same as the current one" in _messages(here)


def _id(db_url: str, name: str) -> int:
    with database(db_url) as s:
        user = auth.user_by_name(s, name)
        assert user is not None and user.id is not None
        return user.id


def test_my_password_in_french(seeded: Seeded, db_url: str) -> None:
    in_french(db_url, seeded.users["alice"])
    with i18n.use_language("fr"):
        here = _browser_of(seeded, db_url, "alice")
        assert here.text_input(key="my-password-current").label == "Mot de passe actuel"
        assert here.text_input(key="my-password-again").label == "Nouveau mot de passe (à nouveau)"
        _change(here, "pas-le-sien", NEW)
        assert "Non modifié\u00a0: le mot de passe actuel n'est pas le bon" in _messages(here)
