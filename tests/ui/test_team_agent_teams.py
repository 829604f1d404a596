"""The Team page's teams of agents (#18.4): an admin creates a team with members, changes them and removes
it (audited); the table says which contact reasons the charter routes to each team; a manager reads the
table without the controls; in French too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences, teams
from inbox.desk.accounts import OPERATOR
from inbox.store.engine import open_engine
from inbox.store.tables.enforcement import CharterVersion
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_actions
from tests.ui.test_team_accounts import _admin

TEAM = "inbox/ui/pages/team.py"


def _members(db_url: str) -> dict[str, list[str]]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        found = teams.members(s)
    engine.dispose()
    return found


def _route_billing_to_team(db_url: str) -> None:
    text = (ROOT / "config" / "charter.toml").read_text(encoding="utf-8")
    routed = text.replace(
        '# [reasons.billing_payment]\n# agents = ["maya"]\n# teams = ["billing"]',
        '[reasons.billing_payment]\nteams = ["billing"]',
    )
    assert routed != text
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        s.add(CharterVersion(saved_at=datetime.now(UTC) - timedelta(days=1), saved_by="maya", toml=routed))
    engine.dispose()


def _flash(at: AppTest) -> str:
    assert not at.exception
    return " ".join(i.value for i in at.info)


def _table(at: AppTest) -> list[dict[str, object]]:
    frame = next(d.value for d in at.dataframe if "Members" in d.value.columns)
    return list(frame.to_dict("records"))


def test_an_admin_creates_a_team_changes_and_removes_it(seeded: Seeded, db_url: str) -> None:
    _route_billing_to_team(db_url)
    at = _admin(seeded, db_url)
    at.text_input(key="team-new-name").input("billing").run()
    at.multiselect(key="team-new-members").set_value(["bruno", "maya"]).run()
    assert at.multiselect(key="team-new-members").format_func("bruno") == "Bruno (bruno)"  # a name first
    for picker in ("account-user", "scope-user"):  # the account pickers too
        assert at.selectbox(key=picker).format_func("bruno") == "Bruno (bruno)"
    at.button(key="team-create").click().run()
    assert "Team billing created." in _flash(at)
    assert (
        at.selectbox(key="team-pick").placeholder == "Choose…"
    )  # not Streamlit's English "Choose an option"
    assert _members(db_url) == {"billing": ["bruno", "maya"]}
    assert _table(at) == [
        {
            "Team": "billing",
            "Members": "Bruno (bruno), Maya (maya)",
            "Contact reasons routed": "Billing and payment",
        }
    ]
    at.multiselect(key="team-members-billing").set_value(["alice"]).run()
    at.button(key="team-save").click().run()
    assert "Team billing: Alice (alice)." in _flash(at)
    assert _members(db_url) == {"billing": ["alice"]}
    at.text_input(key="team-new-name").input("Bad Name").run()
    at.button(key="team-create").click().run()
    assert "Team not created: a team name has lower-case letters" in _flash(at)
    at.button(key="team-remove").click().run()
    assert "Team billing removed." in _flash(at)
    assert _members(db_url) == {}
    assert any(
        "routes Billing and payment to team billing, which does not exist" in w.value for w in at.warning
    )
    actions = audit_actions(db_url)
    assert [a for a in actions if a.startswith("team.")] == [
        "team.created",
        "team.members",
        "team.members",
        "team.removed",
    ]


def test_a_manager_reads_the_teams_without_the_controls(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        teams.create_team(s, OPERATOR, "recovery", datetime.now(UTC))
        teams.set_members(s, OPERATOR, "recovery", ["alice"], datetime.now(UTC))
    engine.dispose()
    at = app_as(seeded, "maya").switch_page(TEAM).run()
    assert not at.exception
    # UI review 22: the table listed members by user name ("alice"); a manager reads the names they know
    assert _table(at) == [{"Team": "recovery", "Members": "Alice", "Contact reasons routed": "—"}]
    assert not [b for b in at.button if str(b.key).startswith("team-")]


def test_the_teams_in_french(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["maya"], "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):
        at = app_as(seeded, "maya").switch_page(TEAM).run()
    assert not at.exception
    assert "Équipes de conseillers" in [e.label for e in at.expander]
    assert "Aucune équipe pour l'instant." in [c.value for c in at.caption]
