"""The dashboard's charts (#13.13) through AppTest, fed by the hand-made day of tests/support/agent_day.py
(Wednesday 4 March 2026, Paris): each chart is there with the numbers worked out below, the tables behind
them are one click away with their CSV, and no raw column name or "None" is shown, in English and French.

The day's nine conversations (J arrived the evening before) against the default goal, 100 % within 60 min:
within A (40 min), C (25), E (20); late B (70), D (165), and F, G, H still unanswered; I closed unanswered.
Answered waits: 20 and 25 min (15-30), 40 (30-60), 70 (1-2 h), 165 (2-4 h). Customer messages in Paris
hours: 00 A, 06 D, 09 B, 10 C I B C, 11 E, 12 F H G, 14 the three survey answers. CSAT answers: 5, 3, 2.
"""

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
DASHBOARD = "inbox/ui/pages/dashboard.py"
DAY = date(2026, 3, 4)


@pytest.fixture
def maya(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    config = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    engine = open_engine(db_url)
    seed_agent_day(engine, config)
    with Session(engine) as session:
        found = session.exec(select(User.id).where(User.name == "maya")).one()
    engine.dispose()
    assert found is not None
    yield found
    forget_engine(db_url)


def dashboard_of_the_day(user_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[USER] = user_id
    at.run()
    at.switch_page(DASHBOARD).run()
    at.segmented_control(key="dash-period").set_value("custom").run()
    at.date_input(key="dash-days").set_value((DAY, DAY)).run()
    assert not at.exception
    return at


def records(at: AppTest, title: str) -> list[dict[str, object]]:
    return list(chart(at, title).rows().to_dict("records"))


def test_the_charts_are_fed_with_the_days_numbers(maya: int) -> None:
    at = dashboard_of_the_day(maya)
    goal = chart(at, "Attainment by day of arrival")
    assert goal.spec["title"]["subtitle"] == "Dashed line: the goal"
    line, rule = goal.data.values()
    assert line.to_dict("records") == [
        {
            "day": "4 Mar 2026",
            "goal": "social: 100% within 1 h 00 min",
            "attainment": 37.5,
            "within": 3,
            "late": 5,
        }
    ]
    assert rule.to_dict("records") == [{"goal": "social: 100% within 1 h 00 min", "percent": 100.0}]
    waits = records(at, "First responses by time to answer")
    assert [(w["wait"], w["answered"]) for w in waits] == [
        ("< 5 min", 0),
        ("5–15 min", 0),
        ("15–30 min", 2),
        ("30 min–1 h", 1),
        ("1–2 h", 1),
        ("2–4 h", 1),
        ("4–8 h", 0),
        ("8–24 h", 0),
        ("≥ 24 h", 0),
    ]
    heat = records(at, "Customer messages by weekday and hour")
    assert len(heat) == 7 * 24
    busy = {(c["weekday"], c["hour"]): c["messages"] for c in heat if c["messages"]}
    assert busy == {
        ("Wed", 0): 1,
        ("Wed", 6): 1,
        ("Wed", 9): 1,
        ("Wed", 10): 4,
        ("Wed", 11): 1,
        ("Wed", 12): 3,
        ("Wed", 14): 3,
    }
    sentiment = records(at, "Sentiment by day")
    assert sum(int(str(s["messages"])) for s in sentiment) == 14
    csat = records(at, "CSAT by day: share of satisfied answers (4 or 5)")
    assert csat == [{"day": "4 Mar 2026", "score": 33.3, "answers": 3}]
    agents = {a["agent"]: (a["replies"], a["handling"]) for a in records(at, "Replies sent per agent")}
    # as on their own figures pages; Maya resolved I without a reply
    assert agents == {"Alice": (4, "10 min"), "Bruno": (3, "15 min"), "Maya": (0, "—")}


def test_the_tables_are_one_click_away_with_csv_and_nothing_raw(maya: int) -> None:
    at = dashboard_of_the_day(maya)
    keys = {str(b.key) for b in at.download_button}
    expected = {
        "goal_by_day",
        "first_response_distribution",
        "volume_heatmap",
        "satisfaction_by_day",
        "agents",
    }
    assert {f"dl-{name}" for name in expected} <= keys
    assert all(e.label == "Tables and CSV" for e in at.expander if str(e.proto.label) != "All tables")
    for table in at.dataframe:
        frame = table.value
        assert not any("_" in str(h) for h in frame.columns), list(frame.columns)
        assert "None" not in frame.astype(str).to_numpy().tolist().__str__()
    texts = [m.value for m in (*at.caption, *at.markdown, *at.subheader)] + [m.label for m in at.metric]
    assert not [t for t in texts if "None" in str(t)]


def test_the_charts_speak_french(maya: int, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        preferences.set_language(session, maya, "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):
        at = dashboard_of_the_day(maya)
    goal = chart(at, "Respect des délais par jour d'arrivée")
    assert goal.spec["title"]["subtitle"] == "En pointillés\xa0: l'objectif"
    assert goal.spec["layer"][0]["encoding"]["y"]["title"] == "Respect (%)"
    assert list(goal.rows()["day"].dropna()) == ["4 mars 2026"]
    number = goal.spec["config"]["locale"]["number"]  # Vega's axis ticks: "1 000", not "1,000"
    assert (number["decimal"], number["thousands"]) == (",", "\u202f")
    heat = records(at, "Messages clients par jour de la semaine et par heure")
    assert {c["weekday"] for c in heat} == {"Lun.", "Mar.", "Mer.", "Jeu.", "Ven.", "Sam.", "Dim."}
    csat = chart(at, "CSAT par jour\u00a0: part de réponses satisfaites (4 ou 5)")
    assert csat.rows()["score"].tolist() == [33.3]
    details = [
        str(v) for table in at.dataframe if "Détail" in table.value.columns for v in table.value["Détail"]
    ]
    assert "premier message client dans la période" in details  # the summary's sentences, in French too
    assert not [d for d in details if " met of " in d or "within" in d]
