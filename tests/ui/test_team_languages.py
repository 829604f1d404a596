"""The languages an agent answers customers in, on the Team page (admins): picked by name when adding a user
and changed later under "Manage an account"; stored as the ISO 639-1 codes auto-assignment compares with a
conversation's language; audited. In English and French."""

from __future__ import annotations

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import auth
from inbox.store.engine import open_engine
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_events, database, in_french

TEAM = "inbox/ui/pages/team.py"


def _admin(seeded: Seeded, db_url: str, language: str = "en") -> AppTest:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        seeded.users["ada"] = auth.create_user(s, "ada", "ada-long-password", "admin", actor="test").id or 0
    engine.dispose()
    if language == "fr":
        in_french(db_url, seeded.users["ada"])
    with i18n.use_language(language):
        return app_as(seeded, "ada").switch_page(TEAM).run()


def _languages(db_url: str, name: str) -> list[str]:
    with database(db_url) as s:
        user = auth.user_by_name(s, name)
        assert user is not None
        return list(user.languages)


def test_an_admin_adds_an_agent_who_speaks_french_and_spanish(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url)
    assert at.multiselect(key="new-langs").value == ["fr", "en"]  # the team's usual pair, to start with
    at.text_input(key="new-name").input("camille")
    at.text_input(key="new-display").input("Camille")
    at.text_input(key="new-password").input("camille-long-password")
    at.multiselect(key="new-langs").unselect("en").select("es")
    at.button(key="add-user").click().run()
    assert "User camille added." in " ".join(i.value for i in at.info)
    assert _languages(db_url, "camille") == ["fr", "es"]
    assert at.text_input(key="new-password").value == ""  # no password left in the form
    table = at.dataframe[0].value
    assert "French, Spanish" in list(table["Languages spoken"])


def test_an_admin_changes_the_languages_an_agent_speaks(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url)
    before = _languages(db_url, "alice")
    at.selectbox(key="account-user").select("alice").run()
    assert at.multiselect(key="account-languages").value == before  # hers, shown when she is chosen
    field = at.multiselect(key="account-languages")
    for code in before:
        field.unselect(code)
    field.select("en").select("de")
    at.button(key="account-set-languages").click().run()
    assert "alice's languages spoken are saved." in " ".join(i.value for i in at.info)
    assert _languages(db_url, "alice") == ["en", "de"]
    (event,) = audit_events(db_url, "user.languages")
    assert event.actor == "ada" and event.detail == {"name": "alice", "from": before, "to": ["en", "de"]}


def test_languages_spoken_in_french(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url, "fr")
    with i18n.use_language("fr"):
        field = at.multiselect(key="new-langs")
        assert field.label == "Langues parlées"
        assert "Espagnol" in field.options and "Français" in field.options
        assert at.button(key="account-set-languages").label == "Enregistrer les langues"
