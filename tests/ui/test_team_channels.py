"""The Team page's channel restriction (#17.5): an admin restricts an agent to some channels and lifts it; the
table shows it, the change is audited; a manager does not get the form; the page says whether live
assignment is on."""

from __future__ import annotations

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox.store.engine import open_engine
from inbox.store.tables import User
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_actions
from tests.ui.test_team_accounts import _admin

TEAM = "inbox/ui/pages/team.py"


def _channels(db_url: str, name: str) -> list[str]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        found = list(s.exec(select(User).where(User.name == name)).one().channels)
    engine.dispose()
    return found


def _save(at: AppTest, name: str, channels: list[str]) -> str:
    at.selectbox(key="scope-user").select(name).run()
    at.multiselect(key=f"scope-channels-{name}").set_value(channels).run()
    at.button(key="scope-save").click().run()
    assert not at.exception
    return " ".join(i.value for i in at.info)


def _table_row(at: AppTest, name: str) -> dict[str, object]:
    table = at.dataframe[0].value
    return dict(table[table["User name"] == name].iloc[0])


def test_an_admin_restricts_an_agent_to_some_channels(seeded: Seeded, db_url: str) -> None:
    at = _admin(seeded, db_url)
    at.selectbox(key="scope-user").select("alice").run()
    assert "mastodon-acme" in at.multiselect(key="scope-channels-alice").options  # channels.toml's channels
    assert "alice works x-acme, mastodon-acme." in _save(at, "alice", ["x-acme", "mastodon-acme"])
    assert _channels(db_url, "alice") == ["x-acme", "mastodon-acme"]
    assert _table_row(at, "alice")["Channels"] == "x-acme, mastodon-acme"
    assert _table_row(at, "bruno")["Channels"] == "every channel"
    assert "alice works every channel." in _save(at, "alice", [])
    assert _channels(db_url, "alice") == []
    assert audit_actions(db_url).count("user.channels") == 2


def test_a_manager_sees_the_mode_but_not_the_form(seeded: Seeded) -> None:
    at = app_as(seeded, "maya").switch_page(TEAM).run()
    assert not at.exception
    assert not [m for m in at.multiselect if str(m.key).startswith("scope-channels")]
    assert any("Live assignment is off" in c.value for c in at.caption)
