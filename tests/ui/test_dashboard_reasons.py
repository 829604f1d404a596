"""The dashboard's contact-reasons section (#18.5) through AppTest: attainment, first-response and handling
times and satisfaction per reason as charts, their tables one click away with CSV, in English and French.

The known day of tests/support/agent_day.py (Wednesday 4 March 2026, Paris; CSAT answers A 5, C 3, B 2, D
none), its conversations given reasons: billing A B C (and J, the day before), technical D E, delivery F G H,
I none. Long after that day, worked out by hand (as tests/flows/test_reports_by_reason.py):
- billing: A met (40 min), B missed (70), C met (25): 66.7 %, median 40; handling A 5, B 25 and 10, C 10:
  mean 12.5; CSAT 5, 3, 2: one answer of three at 4-5, 33.3 %;
- technical: D met (165 min), E missed (20 of 15): 50 %, median 92.5; handling D 10, E 15: 12.5; D's
  survey unanswered, so no CSAT bar;
- delivery: F, G, H never answered: 0 of 3; I closed unanswered: not judged.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, User
from inbox.ui.common import USER, forget_engine
from tests.conftest import ROOT
from tests.support.agent_day import seed_agent_day
from tests.support.charts import chart
from tests.support.reports_seed import write_config

APP = str(ROOT / "app.py")
DASHBOARD = "inbox/ui/pages/dashboard.py"
DAY = date(2026, 3, 4)
REASONS = {"billing_payment": "ABCJ", "technical_issue": "DE", "delivery_order": "FGH"}


@pytest.fixture
def maya(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    config = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    engine = open_engine(db_url)
    ids = seed_agent_day(engine, config)
    with Session(engine) as session, session.begin():
        for reason, letters in REASONS.items():
            for letter in letters:
                conv = session.get(Conversation, ids[letter])
                assert conv is not None
                conv.reason = reason
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


def _clean(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """NaN (an empty figure) as None, for comparing."""
    return [
        {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()} for row in records
    ]


def test_the_reason_charts_carry_the_days_figures(maya: int) -> None:
    at = dashboard_of_the_day(maya)
    # the messages carry no reason (only the conversations were given one): the day's 14 customer messages
    days = chart(at, "Customer messages by contact reason and day").rows().to_dict("records")
    assert days == [{"day": "4 Mar 2026", "reason": "Unclassified", "messages": 14}]
    attainment = _clean(chart(at, "First-response attainment by contact reason").rows().to_dict("records"))
    assert attainment == [  # each bar labelled met/judged: a 0 % bar has no length, its label shows it
        {"reason": "Billing and payment", "attainment": 66.7, "met": 2, "missed": 1, "conversations": 3}
        | {"label": "2/3"},
        {"reason": "Delivery and order", "attainment": 0.0, "met": 0, "missed": 3, "conversations": 3}
        | {"label": "0/3"},
        {"reason": "Technical issue", "attainment": 50.0, "met": 1, "missed": 1, "conversations": 2}
        | {"label": "1/2"},
        {"reason": "Unclassified", "attainment": None, "met": 0, "missed": 0, "conversations": 1}
        | {"label": ""},
    ]
    times = _clean(chart(at, "Response and handling times by contact reason").rows().to_dict("records"))
    shown = {(t["reason"], t["measure"]): t["minutes"] for t in times}
    assert shown[("Billing and payment", "First response, median")] == 40.0
    assert shown[("Billing and payment", "Handling time, mean (DMT)")] == 12.5
    assert shown[("Technical issue", "First response, median")] == 92.5
    assert shown[("Technical issue", "Handling time, mean (DMT)")] == 12.5
    assert shown[("Delivery and order", "First response, median")] is None
    csat = chart(at, "CSAT by contact reason: share of satisfied answers (4 or 5)").rows()
    assert csat.to_dict("records") == [
        {"reason": "Billing and payment", "score": 33.3, "answers": 3, "sent": 3}
    ]


def test_the_reason_tables_are_one_click_away_with_their_csv(maya: int) -> None:
    at = dashboard_of_the_day(maya)
    keys = {str(b.key) for b in at.download_button}
    assert {"dl-reason_mix", "dl-reason_by_day", "dl-reason_figures", "dl-satisfaction_by_reason"} <= keys
    labels = {b.label for b in at.download_button}
    assert "Download “Satisfaction by contact reason” (CSV)" in labels
    assert "Contact reasons" in [h.value for h in at.subheader]


def test_the_reason_charts_in_french(maya: int, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        preferences.set_language(session, maya, "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):
        at = dashboard_of_the_day(maya)
    attainment = chart(at, "Respect de la première réponse par motif de contact")
    assert attainment.rows()["reason"].tolist()[:3] == [
        "Facturation et paiement",
        "Commande et livraison",
        "Problème technique",
    ]
    csat = chart(at, "CSAT par motif de contact\u00a0: part de réponses satisfaites (4 ou 5)")
    assert csat.rows()["score"].tolist() == [33.3]
    times = chart(at, "Délais de réponse et de traitement par motif de contact")
    assert set(times.rows()["measure"]) == {"Première réponse, médiane", "Durée de traitement, moyenne (DMT)"}
