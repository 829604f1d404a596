"""The agents' own figures page (#13.12) through AppTest, on the known day of tests/support/agent_day.py:
an agent sees theirs (in French), a manager picks anyone (in English); an agent has no one to pick."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
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
from tests.support.agent_day import seed_agent_day
from tests.support.charts import chart
from tests.support.reports_seed import write_config

APP = str(ROOT / "app.py")
PAGE = "inbox/ui/pages/my_figures.py"
DAY = date(2026, 3, 4)


@pytest.fixture
def users(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    config = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    engine = open_engine(db_url)
    seed_agent_day(engine, config)
    with Session(engine) as session, session.begin():
        found = {u.name: u.id or 0 for u in session.exec(select(User))}
        preferences.set_language(session, found["alice"], "fr", by="test", by_role="admin")
    engine.dispose()
    yield found
    forget_engine(db_url)


def figures_of_the_day(users: dict[str, int], name: str) -> AppTest:
    """The page as ``name``, on Wednesday 4 March 2026 (a custom period of that one day)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = users[name]
    at.run()
    at.switch_page(PAGE).run()
    at.segmented_control(key="figures-period").set_value("custom").run()
    at.date_input(key="figures-days").set_value((DAY, DAY)).run()
    assert not at.exception
    return at


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_an_agent_sees_her_own_figures_in_french(users: dict[str, int]) -> None:
    with i18n.use_language("fr"):
        at = figures_of_the_day(users, "alice")
    assert [t.value for t in at.title] == ["Mes chiffres"]
    assert "figures-agent" not in {s.key for s in at.selectbox}  # nobody else to pick
    assert tiles(at) == {
        "Réponses envoyées": "4",
        "Conversations résolues": "3",
        "Durée de traitement · médiane": "10 min",
        "Premières réponses dans les délais": "100,0\u00a0%",
        "Satisfaction (CSAT)": "50,0\u00a0%",
    }
    help_ = {m.label: m.help for m in at.metric}
    assert help_["Satisfaction (CSAT)"] == "2 réponses à 3 enquêtes envoyées (taux de réponse 67\u00a0%)"
    per_day = chart(at, "Réponses envoyées par jour")
    assert per_day.rows().to_dict("records") == [{"day": "4 mars 2026", "replies": 4}]
    captions = " ".join(str(e.value) for e in at.caption)
    assert "None" not in captions and "docs/" not in captions  # no repository path an agent cannot open


def test_a_manager_picks_an_agent_in_english(users: dict[str, int]) -> None:
    at = figures_of_the_day(users, "maya")
    assert [t.value for t in at.title] == ["Figures per person"]
    assert at.selectbox(key="figures-agent").value == "maya"
    at.selectbox(key="figures-agent").select("bruno").run()
    assert not at.exception and [h.value for h in at.subheader][0] == "Bruno"
    assert tiles(at) == {
        "Replies sent": "3",
        "Conversations resolved": "1",
        "Handling time · median": "15 min",
        "First responses on time": "0.0%",
        "Satisfaction (CSAT)": "0.0%",
    }
    download = at.get("download_button")[0]
    assert download.proto.label == "Download “Replies sent per day” (CSV)"


def test_the_page_is_in_an_agents_navigation_and_nobody_else_can_be_picked(users: dict[str, int]) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = users["bruno"]
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception and "figures-agent" not in {s.key for s in at.selectbox}
    assert [t.value for t in at.title] == ["My figures"]


def test_a_manager_picks_an_agent_in_french(users: dict[str, int], db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        preferences.set_language(session, users["maya"], "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):
        at = figures_of_the_day(users, "maya")
        assert [t.value for t in at.title] == ["Chiffres par personne"]
        at.selectbox(key="figures-agent").select("alice").run()
    assert not at.exception and at.selectbox(key="figures-agent").label == "Personne"
    assert tiles(at)["Premières réponses dans les délais"] == "100,0\u00a0%"
    assert tiles(at)["Durée de traitement · médiane"] == "10 min"
