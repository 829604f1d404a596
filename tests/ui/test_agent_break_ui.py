"""An agent starts and ends a break from the sidebar ("On a break" / "En pause"); the Team page shows each
person's status (available, on a break, offline)."""

from __future__ import annotations

from inbox import i18n
from inbox.desk import presence
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_events, database, in_french

TEAM = "inbox/ui/pages/team.py"


def _status(db_url: str, user_id: int) -> str:
    with database(db_url) as s:
        return presence.status_of(s, user_id)


def test_an_agent_takes_a_break_and_the_team_page_shows_it(seeded: Seeded, db_url: str) -> None:
    alice = app_as(seeded, "alice")  # the queue's run is a heartbeat: she is online
    alice.toggle(key="my-break").set_value(True).run()
    assert _status(db_url, seeded.users["alice"]) == "away"
    assert "On a break: no new conversation comes to you." in [c.value for c in alice.caption]
    team = app_as(seeded, "maya").switch_page(TEAM).run()
    table = team.dataframe[0].value
    statuses = dict(zip(table["User name"], table["Status"], strict=True))
    assert statuses["alice"] == "On a break" and statuses["bruno"] == "Offline"
    alice.toggle(key="my-break").set_value(False).run()
    assert _status(db_url, seeded.users["alice"]) == "available"
    assert [e.detail["to"] for e in audit_events(db_url, "user.availability")] == ["away", "available"]


def test_managers_have_no_break_switch(seeded: Seeded) -> None:
    assert not [t for t in app_as(seeded, "maya").toggle if t.key == "my-break"]


def test_the_break_switch_in_french(seeded: Seeded, db_url: str) -> None:
    in_french(db_url, seeded.users["alice"])
    with i18n.use_language("fr"):
        alice = app_as(seeded, "alice")
        assert alice.toggle(key="my-break").label == "En pause"
