"""`inbox report` through typer's CliRunner on an app built by register(): hand figures, and agreement with
the dashboard's functions (the same tables, the same CSV)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from inbox.charter.model import load_charter
from inbox.charter.versions import save_version
from inbox.reports.period import parse_period
from inbox.reports.report import attainment_windows, live_report, period_report
from inbox.reports.tables import Table, all_tables, to_csv
from inbox.store.tables import User
from tests.support.reports_seed import report_app, seed_known_set, seed_recent_set, write_config

PARIS = ZoneInfo("Europe/Paris")
TIME_DEPENDENT = {"minutes_left", "elapsed_pct"}  # live clock columns move while the test runs


def cli() -> typer.Typer:
    return report_app()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli(), ["report", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def config(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    return folder


def dashboard_tables(engine: Engine, config: Path, spec: str, channel: str | None = None) -> dict[str, Table]:
    """What the dashboard page computes for the same period and channel."""
    charter, now = load_charter(config), datetime.now(UTC)
    with Session(engine) as session:
        period = parse_period(spec, now, PARIS)
        return all_tables(
            period_report(session, charter, period, now, channel),
            live_report(session, charter, now, channel),
            attainment_windows(session, charter, now, channel),
        )


def steady(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in TIME_DEPENDENT} for row in records]


def test_json_for_a_past_day_has_the_hand_figures(engine: Engine, config: Path) -> None:
    seed_known_set(engine, config)
    code, out, _ = run("--period", "2026-03-04", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert (
        doc["period"]["start"] == "2026-03-03T23:00:00+00:00" and doc["period"]["timezone"] == "Europe/Paris"
    )
    summary = {row["kpi"]: row["value"] for row in doc["tables"]["summary"]}
    # Long after that day, G and H (never answered) are missed too: met A, C, D of A-H = 3 of 8.
    assert summary["sla_attainment_pct"] == 37.5
    assert (summary["first_response_median_min"], summary["first_response_p90_min"]) == (40, 165)
    assert (summary["fcr_pct"], summary["customer_messages"], summary["conversations"]) == (50.0, 11, 9)
    assert (summary["waiting_now"], summary["at_risk_now"], summary["breached_now"]) == (3, 0, 3)
    agents = {
        row["agent"]: (row["replies_sent"], row["handling_median_min"]) for row in doc["tables"]["agents"]
    }
    assert agents == {"alice": (4, 10.0), "bruno": (3, 15.0), "maya": (0, None)}
    volume = [(r["hour"], r["channel"], r["messages"]) for r in doc["tables"]["volume_by_hour"]]
    assert volume[3] == ("2026-03-04 10:00", "x-acme", 4)


def test_report_7d_agrees_with_the_dashboard(engine: Engine, config: Path) -> None:
    seed_recent_set(engine, config, datetime.now(UTC))
    code, out, _ = run("--period", "7d", "--format", "json")
    assert code == 0
    printed = json.loads(out)["tables"]
    # By hand: P met (30 of 60), Q missed (90), S missed (unanswered, 65 min), R waiting: 1 of 3.
    summary = {row["kpi"]: row["value"] for row in printed["summary"]}
    assert summary["sla_attainment_pct"] == 33.3 and summary["fcr_pct"] == 100.0
    assert (summary["first_response_median_min"], summary["first_response_p90_min"]) == (60, 90)
    assert (summary["waiting_now"], summary["at_risk_now"], summary["breached_now"]) == (2, 1, 1)
    shown = dashboard_tables(engine, config, "7d")
    assert set(printed) == set(shown)
    for name, table in shown.items():
        assert steady(printed[name]) == steady(json.loads(json.dumps(table.records()))), name


def test_csv_is_the_dashboard_download(engine: Engine, config: Path) -> None:
    seed_recent_set(engine, config, datetime.now(UTC))
    for name in ("attainment_by_channel", "agents", "sentiment"):
        code, out, _ = run("--period", "30d", "--format", "csv", "--table", name)
        assert code == 0
        assert out == to_csv(dashboard_tables(engine, config, "30d")[name])
    code, out, _ = run("--period", "30d", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "kpi,value,detail"  # one table: the summary by default


def test_terminal_table_and_channel_filter(engine: Engine, config: Path) -> None:
    seed_known_set(engine, config)
    code, out, _ = run("--period", "2026-03-04", "--channel", "mastodon-acme")
    assert code == 0
    assert "Report for 2026-03-04 (Europe/Paris) · channel mastodon-acme" in out
    assert "SLA attainment and first-response time by channel" in out
    lines = out.splitlines()
    row = next(line for line in lines if line.startswith("mastodon-acme") and "165" in line)
    assert row.split()[:4] == ["mastodon-acme", "2", "1", "1"]  # conversations D and H; D met; H missed
    assert not any(line.startswith("x-acme") for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "yesterday"], "period must be today, 7d, 30d or YYYY-MM-DD..YYYY-MM-DD"),
        (["--period", "2026-03-05..2026-03-01"], "the last day is before the first"),
        (["--channel", "nope"], "no channel named 'nope'"),
        (["--table", "nope"], "no table named 'nope'"),
    ],
)
def test_mistakes_exit_2_with_a_message(engine: Engine, config: Path, args: list[str], message: str) -> None:
    seed_known_set(engine, config)
    code, _, err = run(*args)
    assert code == 2 and message in err


def test_an_invalid_charter_is_reported(engine: Engine, config: Path) -> None:
    (config / "charter.toml").write_text("[sla]\nteam = 1\n", encoding="utf-8")
    code, _, err = run()
    assert code == 2 and "invalid charter" in err and "charter.toml" in err


def test_the_report_uses_the_version_saved_in_the_editor(engine: Engine, config: Path) -> None:
    seed_known_set(engine, config)
    text = (config / "charter.toml").read_text(encoding="utf-8")
    assert 'timezone = "Europe/Paris"' in text
    edited = text.replace('timezone = "Europe/Paris"', 'timezone = "America/Montreal"', 1)
    with Session(engine) as session, session.begin():
        save_version(
            session,
            edited,
            by=User(name="manager", role="manager", password_hash="-"),
            comment="Montreal team",
            now=datetime.now(UTC),
            based_on=None,
            previous_text=text,
        )
    code, out, _ = run("--period", "2026-03-04")
    assert code == 0 and "Report for 2026-03-04 (America/Montreal)" in out
