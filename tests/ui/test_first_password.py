"""A password an admin chose is temporary: an account added on the Team page, or whose password an admin
reset, sees only "Choose your password" at its next sign-in, on any address, until its owner chooses one;
then the queue. The demo's and the operator's accounts are not flagged. In English and French."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import accounts, auth
from inbox.store.engine import open_engine
from inbox.ui.common import USER
from tests.support.seed_desk import Seeded
from tests.support.ui import APP, app_as, database, in_french

TEMPORARY = "chosen-by-the-admin"
MINE = "a-password-of-my-own"


def _added_by_an_admin(seeded: Seeded, db_url: str) -> int:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        ada = auth.create_user(s, "ada", "ada-long-password", "admin", actor="test")
        camille = auth.add_user(s, ada, "camille", TEMPORARY, "agent")
        assert camille.id is not None
        seeded.users["camille"] = camille.id
    engine.dispose()
    return seeded.users["camille"]


def _page_title(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def test_an_agent_added_by_an_admin_chooses_her_password_first(seeded: Seeded, db_url: str) -> None:
    _added_by_an_admin(seeded, db_url)
    at = app_as(seeded, "camille")
    assert _page_title(at) == "Choose your password"
    assert not [b for b in at.button if str(b.key).startswith("open-")]  # no queue behind it
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("inbox/ui/pages/conversation.py")  # no other page is registered meanwhile
    at.text_input(key="my-password-current").input(TEMPORARY)
    at.text_input(key="my-password-new").input(MINE)
    at.text_input(key="my-password-again").input(MINE)
    at.button[[b.label for b in at.button].index("Change my password")].click().run()
    at.run()
    assert _page_title(at) == "Queue"
    with database(db_url) as s:
        user = auth.user_by_name(s, "camille")
        assert user is not None and not user.must_change_password


def test_a_reset_password_is_temporary_and_the_seeded_ones_are_not(seeded: Seeded, db_url: str) -> None:
    assert _page_title(app_as(seeded, "alice")) == "Queue"  # created by the operator: hers
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        accounts.reset_password(s, accounts.OPERATOR, "alice", TEMPORARY, datetime.now(UTC))
    engine.dispose()
    assert _page_title(app_as(seeded, "alice")) == "Choose your password"


def test_choose_your_password_in_french(seeded: Seeded, db_url: str) -> None:
    in_french(db_url, _added_by_an_admin(seeded, db_url))
    with i18n.use_language("fr"):
        at = AppTest.from_file(APP, default_timeout=30)
        at.session_state[USER] = seeded.users["camille"]
        at.run()
        assert _page_title(at) == "Choisissez votre mot de passe"
