"""The dashboard's staffing simulator through AppTest: a manager picks a period, a range of agents and an
order, and gets the chart, the sentence on the hardest half day and the table, in English or French.

The stored story is tests/support/staffing_seed.py on a recent weekday: six normal messages and a critical
one in one morning, ten minutes each. By hand (see tests/flows/test_simulate_cli.py): under the queue's
order one agent answers 6 of 7 in time (86 %), two answer all 7; so the sentence names 2 agents.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.store.tables import User
from inbox.ui.common import USER, forget_engine
from tests.conftest import ROOT
from tests.support.reports_seed import configured
from tests.support.staffing_seed import seed_staffing_story

APP = str(ROOT / "app.py")
DASHBOARD = "inbox/ui/pages/dashboard.py"
MORNINGS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MATINS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")


def recent_weekday() -> date:
    """A weekday one to six days ago: inside the 7-day period, answered by the team on a working day."""
    return next(
        d
        for n in range(1, 7)
        if (d := datetime.now(UTC).date() - timedelta(days=n)).weekday() < len(MORNINGS)
    )


@pytest.fixture
def story(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[date, int]]:
    folder = configured(tmp_path / "config", db_url, monkeypatch)
    engine = open_engine(db_url)
    day = recent_weekday()
    seed_staffing_story(engine, folder, day)
    with Session(engine) as session:
        maya = session.exec(select(User).where(User.name == "maya")).one()
    engine.dispose()
    yield day, maya.id or 0
    forget_engine(db_url)


def simulated(user_id: int, low: int, high: int, order: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[USER] = user_id
    at.run()
    at.switch_page(DASHBOARD).run()
    at.selectbox(key="staffing-period").select("7d")
    at.slider(key="staffing-agents").set_value((low, high))
    at.selectbox(key="staffing-order").select(order)
    return at.button(key="staffing-run").click().run()


def test_the_sentence_names_the_fewest_agents_and_the_hardest_half_day(story: tuple[date, int]) -> None:
    day, maya = story
    at = simulated(maya, 1, 3, "deadline")
    assert not at.exception
    assert [i.value for i in at.info] == [
        f"With 2 agents, on {MORNINGS[day.weekday()]} mornings you would reach 100% within the target "
        "(the hardest half day); 100% over the period."
    ]
    table = at.dataframe[-1].value
    assert list(table["Agents"]) == [1, 2, 3]
    assert list(table["Answered within target (%)"]) == ["85.7%", "100.0%", "100.0%"]
    specs = [str(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert any("Answered within target, by number of agents" in spec for spec in specs)


def test_both_orders_in_french(story: tuple[date, int], db_url: str) -> None:
    day, maya = story
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        preferences.set_language(session, maya, "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):  # AppTest formats the selectboxes' options in the test's language
        at = simulated(maya, 1, 1, "both")
    assert not at.exception
    assert [i.value for i in at.info] == [
        f"Avec 1 conseiller, le {MATINS[day.weekday()]} matin vous atteindriez 86\u00a0% dans les délais "
        "(la demi-journée la plus difficile)\u202f; 86\u00a0% sur la période."
    ]
    table = at.dataframe[-1].value
    assert list(table["Ordre"]) == ["Échéance (l'ordre de la file)", "Premier arrivé, premier servi"]
    assert list(table["Urgents dans les délais (%)"]) == ["100,0\u00a0%", "0,0\u00a0%"]
