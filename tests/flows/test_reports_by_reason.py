"""First response, handling time and attainment per contact reason (issue #18.5) on the reports' known
set (tests/support/reports_seed.py), worked out by hand; `inbox report` prints them in JSON and as text."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from inbox.charter.model import load_charter
from inbox.reports.period import parse_period
from inbox.reports.report import live_report, period_report
from inbox.reports.tables import all_tables
from inbox.store.tables import Conversation
from tests.support.reports_seed import NOW, configured, report_app, seed_known_set

PARIS = ZoneInfo("Europe/Paris")
REASONS = {  # J arrived on 3 March (Paris) and its reply was queued then: it counts nowhere on the 4th
    "billing_payment": "ABCJ",
    "technical_issue": "DE",
    "delivery_order": "FGH",
}


@pytest.fixture
def config(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Path:
    folder = configured(tmp_path / "config", db_url, monkeypatch)
    ids = seed_known_set(engine, folder)
    with Session(engine) as s, s.begin():
        for reason, letters in REASONS.items():
            for letter in letters:
                conv = s.get(Conversation, ids[letter])
                assert conv is not None
                conv.reason = reason
    return folder


def test_figures_per_reason_by_hand(engine: Engine, config: Path) -> None:
    charter = load_charter(config)
    with Session(engine) as s:
        period = parse_period("2026-03-04", NOW, PARIS)
        r = period_report(s, charter, period, NOW)
        table = all_tables(r, live_report(s, charter, NOW), {})["reason_figures"]
    # billing: A met (40 min), B missed (70), C met (25, vip): median 40, p90 the 3rd of 3 = 70; handling
    #   A 5, C 10, B 25 and 10: mean 12.5. technical: D met (165 wall-clock), E missed (20 of 15): median
    #   92.5, p90 165; handling D 10, E 15. delivery: F missed, G and H waiting, nobody answered. I has no
    #   reason and was closed unanswered.
    assert table.rows == [
        ("billing_payment", 3, 3, 40.0, 70.0, 4, 12.5, 2, 1, 0, 0, 66.7),
        ("delivery_order", 3, 0, None, None, 0, None, 0, 1, 2, 0, 0.0),
        ("technical_issue", 2, 2, 92.5, 165.0, 2, 12.5, 1, 1, 0, 0, 50.0),
        ("unclassified", 1, 0, None, None, 0, None, 0, 0, 0, 1, None),
    ]


def _report(*args: str) -> str:
    result = CliRunner().invoke(report_app(), ["report", "--period", "2026-03-04", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_inbox_report_prints_them_in_json_and_in_the_terminal(config: Path) -> None:
    rows = {row["reason"]: row for row in json.loads(_report("--format", "json"))["tables"]["reason_figures"]}
    assert set(rows) == {"billing_payment", "delivery_order", "technical_issue", "unclassified"}
    assert (rows["billing_payment"]["frt_median_min"], rows["billing_payment"]["dmt_mean_min"]) == (
        40.0,
        12.5,
    )
    # Long after that day, G and H (never answered) are missed too.
    assert (rows["delivery_order"]["missed"], rows["delivery_order"]["attainment_pct"]) == (3, 0.0)
    text = _report("--format", "table")
    assert "First response, handling time (DMT) and attainment by contact reason" in text
    line = next(x for x in text.splitlines() if x.startswith("technical_issue"))
    assert line.split()[:5] == ["technical_issue", "2", "2", "92.5", "165.0"]
