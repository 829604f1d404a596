"""An admin signs an account out everywhere from the Team page (a lost or shared device, #15.8/#15.9): its
browser sessions end at their next run, the account may sign in again; audited. In English and French; the
command line does the same (`inbox user signout`)."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.cli.main import main
from inbox.desk import auth, preferences
from inbox.store.engine import open_engine
from inbox.ui.common import USER
from tests.support.seed_desk import Seeded
from tests.support.ui import APP, app_as, audit_events, browser_of, signed_in

TEAM = "inbox/ui/pages/team.py"
SECRET = "a-test-session-secret"


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_SESSION_SECRET", SECRET)


def _browser_of(seeded: Seeded, db_url: str, name: str) -> AppTest:
    return browser_of(seeded, db_url, name, SECRET)


def _admin(seeded: Seeded, db_url: str, language: str = "en") -> AppTest:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        ada = auth.create_user(s, "ada", "ada-long-password", "admin", actor="test")
        assert ada.id is not None
        seeded.users["ada"] = ada.id
        preferences.set_language(s, ada.id, language, by="test", by_role="admin")
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users["ada"]
    with i18n.use_language(language):
        at.run().switch_page(TEAM).run()
    return at


def test_an_admin_signs_an_agent_out_everywhere(seeded: Seeded, db_url: str) -> None:
    alice = _browser_of(seeded, db_url, "alice")
    assert signed_in(alice)
    admin = _admin(seeded, db_url)
    admin.selectbox(key="account-user").select("alice").run()
    admin.button(key="account-signout").click().run()
    assert "alice is signed out in every browser." in " ".join(i.value for i in admin.success)
    assert not signed_in(alice)
    (event,) = audit_events(db_url, "user.signed_out_everywhere")
    assert event.actor == "ada" and event.detail == {"name": "alice", "sessions": 1}
    assert signed_in(_browser_of(seeded, db_url, "alice"))  # she may sign in again


def test_sign_out_everywhere_in_french(seeded: Seeded, db_url: str) -> None:
    admin = _admin(seeded, db_url, "fr")
    assert admin.button(key="account-signout").label == "Déconnecter partout"


def test_the_operator_signs_a_user_out_everywhere(
    seeded: Seeded, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    alice = _browser_of(seeded, db_url, "alice")
    assert main(["user", "signout", "alice"]) == 0
    assert "signed out everywhere" in capsys.readouterr().out
    assert not signed_in(alice)
    assert [e.actor for e in audit_events(db_url, "user.signed_out_everywhere")] == ["cli"]
    assert main(["user", "signout", "nobody"]) == 2


def test_an_agent_cannot_sign_anyone_out(seeded: Seeded) -> None:
    at = app_as(seeded, "alice")
    assert not [b for b in at.button if b.key == "account-signout"]
