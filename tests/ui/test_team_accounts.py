"""The Team page's account form (#15.8): an admin deactivates, reactivates, changes a role, resets a password
and ends a temporary account; the agent's open session ends at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox.desk import auth
from inbox.store.engine import open_engine
from inbox.store.tables import User
from inbox.ui.common import USER
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_actions

TEAM = "inbox/ui/pages/team.py"


def _admin(seeded: Seeded, db_url: str) -> AppTest:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        seeded.users["ada"] = auth.create_user(s, "ada", "ada-long-password", "admin", actor="test").id or 0
    engine.dispose()
    return app_as(seeded, "ada").switch_page(TEAM).run()


def _said(at: AppTest, label: str) -> str:
    """The messages inside the expander ``label``: next to the buttons that caused them."""
    [box] = [e for e in at.expander if e.label == label]
    return " ".join(m.value for kind in (box.success, box.error, box.warning, box.info) for m in kind)


def _do(at: AppTest, name: str, button: str) -> str:
    at.selectbox(key="account-user").select(name).run()
    if button == "account-deactivate":
        at.checkbox(key="account-deactivate-sure").check()
    at.button(key=button).click().run()
    assert not at.exception
    return _said(at, "Manage an account")


def _signed_in(at: AppTest) -> bool:
    at.run()
    return USER in at.session_state and not any(t.key == "sign-in-password" for t in at.text_input)


def _alice(db_url: str) -> User:
    engine = open_engine(db_url)
    with Session(engine) as s:
        user = s.exec(select(User).where(User.name == "alice")).one()
    engine.dispose()
    return user


def test_a_deactivated_agent_is_signed_out_at_their_next_rerun(seeded: Seeded, db_url: str) -> None:
    alice = app_as(seeded, "alice")
    assert _signed_in(alice)
    admin = _admin(seeded, db_url)
    assert "alice is deactivated" in _do(admin, "alice", "account-deactivate")
    assert not _signed_in(alice)
    assert alice.text_input(key="sign-in-password")  # the sign-in page
    assert "alice can sign in again" in _do(admin, "alice", "account-reactivate")
    assert "user.deactivated" in audit_actions(db_url) and "user.reactivated" in audit_actions(db_url)


def test_role_password_and_end_date_from_the_team_page(seeded: Seeded, db_url: str) -> None:
    admin = _admin(seeded, db_url)
    admin.selectbox(key="account-user").select("alice").run()  # her role shows; then the new one is picked
    admin.selectbox(key="account-role").select("manager")
    assert "role is changed" in _do(admin, "alice", "account-set-role")
    assert _alice(db_url).role == "manager"

    # alice is chosen; the password is a form's field: typed, then sent with its button
    admin.text_input(key="account-password").input("too-short")
    admin.button(key="account-reset-password").click().run()
    assert "Not changed: the password must have at least 12" in " ".join(e.value for e in admin.error)
    admin.text_input(key="account-password").input("a-brand-new-password")
    admin.button(key="account-reset-password").click().run()
    assert "alice's password is reset" in _said(admin, "Manage an account")  # under the form, not on top
    assert admin.text_input(key="account-password").value == ""  # not left in the field
    assert auth.verify_password(_alice(db_url).password_hash, "a-brand-new-password")

    alice = app_as(seeded, "alice")
    assert _signed_in(alice)
    admin.date_input(key="account-until").set_value(datetime.now().date() - timedelta(days=1))
    assert "end date is saved" in _do(admin, "alice", "account-set-until")
    assert not _signed_in(alice)  # her last day is over


def test_managers_do_not_get_the_account_form(seeded: Seeded) -> None:
    at = app_as(seeded, "maya").switch_page(TEAM).run()
    assert [t.value for t in at.title] == ["Team"]
    assert not [s for s in at.selectbox if s.key == "account-user"]


def test_an_admin_unlocks_a_locked_out_name_from_the_team_page(seeded: Seeded, db_url: str) -> None:
    from inbox.desk import sign_in

    engine = open_engine(db_url)
    at = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        for _ in range(sign_in.MAX_PER_NAME):
            assert sign_in.sign_in(s, "alice", "wrong", client="127.0.0.9", now=at) is None
    with Session(engine) as s:
        assert sign_in.name_locked(s, "alice", at)
    admin = _admin(seeded, db_url)
    assert "alice may sign in again" in _do(admin, "alice", "account-unlock")
    with Session(engine) as s:
        assert not sign_in.name_locked(s, "alice", datetime.now(UTC))
    engine.dispose()
    assert sign_in.UNLOCKED in audit_actions(db_url)


def test_an_admin_confirms_a_deactivation_and_cannot_deactivate_themself(seeded: Seeded, db_url: str) -> None:
    """Audit r20, UI finding 6: no account is chosen at first (it was the admin's own), Deactivate asks to
    tick a confirmation, and one's own account is refused."""
    admin = _admin(seeded, db_url)
    assert admin.selectbox(key="account-user").value is None
    admin.selectbox(key="account-user").select("alice").run()
    admin.button(key="account-deactivate").click().run()
    assert "tick" in _said(admin, "Manage an account") and _alice(db_url).active
    assert "your own account cannot be deactivated" in _do(admin, "ada", "account-deactivate")
    assert "user.deactivated" not in audit_actions(db_url)


def test_a_weak_password_for_a_new_user_is_said_under_the_form(seeded: Seeded, db_url: str) -> None:
    admin = _admin(seeded, db_url)
    admin.text_input(key="new-name").input("lea.dupont")
    admin.text_input(key="new-password").input("abc")
    admin.button(key="add-user").click().run()
    assert "Not added: the password must have at least 12" in _said(admin, "Add a user")
