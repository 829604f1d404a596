"""What auto-assignment knows of an agent, on the Team page (admins): the languages they answer customers in,
picked by name (stored as the ISO 639-1 codes compared with a conversation's language), and their capacity;
set when adding a user and changed later under "Manage an account", which shows the chosen user's role,
languages and capacity; audited. In English and French."""

from __future__ import annotations

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import auth
from inbox.store.engine import open_engine
from inbox.store.tables import User
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


def _user(db_url: str, name: str) -> User:
    with database(db_url) as s:
        user = auth.user_by_name(s, name)
        assert user is not None
        return user


def _languages(db_url: str, name: str) -> list[str]:
    return list(_user(db_url, name).languages)


def test_an_admin_adds_an_agent_who_speaks_french_and_spanish(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url)
    assert at.multiselect(key="new-langs").value == ["fr", "en"]  # the team's usual pair, to start with
    at.text_input(key="new-name").input("camille")
    at.text_input(key="new-display").input("Camille")
    at.text_input(key="new-password").input("camille-long-password")
    at.multiselect(key="new-langs").unselect("en").select("es")
    at.number_input(key="new-capacity").set_value(8)
    at.button(key="add-user").click().run()
    # UI review 22: the message named the login alone ("User camille added."); the name first, as the table
    assert "User Camille (camille) added." in " ".join(i.value for i in at.success)
    assert _languages(db_url, "camille") == ["fr", "es"] and _user(db_url, "camille").capacity == 8
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
    assert "alice's languages spoken are saved." in " ".join(i.value for i in at.success)
    assert _languages(db_url, "alice") == ["en", "de"]
    (event,) = audit_events(db_url, "user.languages")
    assert event.actor == "ada" and event.detail == {"name": "alice", "from": before, "to": ["en", "de"]}


def test_an_admin_sets_a_part_time_agents_capacity(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url)
    at.selectbox(key="account-user").select("ada").run()
    assert at.selectbox(key="account-role").value == "admin"  # the chosen user's role, not the first one
    at.selectbox(key="account-user").select("alice").run()
    assert at.selectbox(key="account-role").value == "agent"
    assert at.number_input(key="account-capacity").value == 20
    at.number_input(key="account-capacity").set_value(6)
    at.button(key="account-set-capacity").click().run()
    assert "alice's capacity is saved." in " ".join(i.value for i in at.success)
    assert _user(db_url, "alice").capacity == 6
    (event,) = audit_events(db_url, "user.capacity")
    assert event.actor == "ada" and event.detail == {"name": "alice", "from": 20, "to": 6}
    assert "6" in " ".join(str(v) for v in at.dataframe[0].value["Load"])  # "0 / 6" in the team table


def test_languages_spoken_in_french(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url, "fr")
    with i18n.use_language("fr"):
        field = at.multiselect(key="new-langs")
        assert field.label == "Langues parlées"
        assert "Espagnol" in field.options and "Français" in field.options
        assert at.button(key="account-set-languages").label == "Enregistrer les langues"
        assert at.number_input(key="account-capacity").label == "Capacité de ce compte"
