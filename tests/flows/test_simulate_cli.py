"""``inbox simulate`` on stored messages (SQLite and PostgreSQL) and on a CSV of arrivals.

The stored story (tests/support/staffing_seed.py): six normal messages at 08:00 UTC (due 09:00), a critical
one at 08:05 (due 08:20), one moderated; every measured reply took 10 minutes. By hand, per policy:

    1 agent, queue order: n1 08:10, k 08:20 (met), n2-n5 08:30-09:00, n6 09:10 (missed) -> 6/7
        waits 10 15 30 40 50 60 70 min: median 40, p90 70
    1 agent, fifo:        n1-n6 08:10-09:00, k 09:10 (missed)                        -> 6/7
        waits 10 20 30 40 50 60 65: median 40, p90 65
    2 agents, queue:      n1 n2 08:10, k n3 08:20, n4 n5 08:30, n6 08:40             -> 7/7
        waits 10 10 15 20 30 30 40: median 20, p90 40
    2 agents, fifo:       n1 n2 08:10, n3 n4 08:20, n5 n6 08:30, k 08:40 (missed)    -> 6/7
        waits 10 10 20 20 30 30 35: median 20, p90 35
The one urgent message (k) is in time under the queue's order, late under fifo. Backlog peak 7 (at 08:05,
nobody answered yet). Erlang C: 7 jobs over 600 open minutes, 10 minutes each
(A = 0.1167), a 60-minute target leaves 50 minutes of wait: 1 agent 1 − 0.1167·e^(−0.8833·5) = 99.9 %.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from inbox.cli.simulate import register
from tests.support.reports_seed import configured
from tests.support.staffing_seed import seed_staffing_story

DAY = date(2026, 3, 4)  # a Wednesday: Paris is UTC+1


def run(*args: str) -> tuple[int, str]:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """inbox"""

    register(app)
    result = CliRunner().invoke(app, ["simulate", *args])
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def config(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    return configured(tmp_path / "config", db_url, monkeypatch)


@pytest.fixture
def seeded(engine: Engine, config: Path) -> None:
    seed_staffing_story(engine, config, DAY)


def test_the_figures_per_staffing_level_and_policy(seeded: None) -> None:
    code, out = run("--period", "2026-03-04", "--agents", "1..2", "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    keys = (
        "agents",
        "policy",
        "attainment_pct",
        "urgent_pct",
        "wait_p50_min",
        "wait_p90_min",
        "backlog_peak",
    )
    got = [tuple(r[k] for k in keys) for r in rows]
    assert got == [
        ("1", "deadline", "85.7", "100.0", "40.0", "70.0", "7"),
        ("2", "deadline", "100.0", "100.0", "20.0", "40.0", "7"),
        ("1", "fifo", "85.7", "0.0", "40.0", "65.0", "7"),
        ("2", "fifo", "85.7", "0.0", "20.0", "35.0", "7"),
    ]
    assert [r["erlang_c_pct"] for r in rows] == ["99.9", "100.0", "99.9", "100.0"]
    assert {r["unanswered"] for r in rows} == {"0"}


def test_the_table_and_sentence_in_english_and_french(seeded: None) -> None:
    code, out = run("--period", "2026-03-04", "--agents", "1..2", "--policy", "deadline")
    assert code == 0, out
    assert out.startswith("Staffing simulation: 7 conversations from the stored messages, 4 Mar 2026")
    assert "drawn from 7 measured replies" in out
    assert "First come" not in out  # one policy asked
    assert out.rstrip().endswith(
        "With 2 agents, on Wednesday mornings you would reach 100% within the target (the hardest half day); "
        "100% over the period."
    )
    code, out = run("--period", "2026-03-04", "--agents", "1", "--policy", "fifo", "--language", "fr")
    assert code == 0, out
    assert "Simulation d’effectifs\u00a0: 7 conversations" in out
    assert "Premier arrivé, premier servi" in out and "85,7" in out
    assert "Avec 1 conseiller, le mercredi matin vous atteindriez 86" in out


def test_a_period_without_messages_says_so(config: Path) -> None:
    code, out = run("--period", "2026-03-04", "--agents", "2")
    assert code == 0, out
    assert "0 conversations from the stored messages" in out and "overloaded" not in out
    assert out.rstrip().endswith("No customer message arrived in this period: nothing to simulate.")


def test_arrivals_from_a_csv_file(config: Path, tmp_path: Path) -> None:
    arrivals = tmp_path / "arrivals.csv"
    arrivals.write_text(
        "created_at,channel,urgency\n"
        "2026-03-04T09:00:00+01:00,x-acme,\n"
        "2026-03-04T09:00:00+01:00,x-acme,\n"
        "2026-03-04T09:05:00+01:00,x-acme,critical\n",
        encoding="utf-8",
    )
    code, out = run("--arrivals", str(arrivals), "--agents", "3", "--format", "csv", "--policy", "deadline")
    assert code == 0, out
    (row,) = csv.DictReader(io.StringIO(out))
    # no reply measured: handling is drawn at random, but three agents take each message as it arrives
    assert row["backlog_peak"] in {"2", "3"} and row["unanswered"] == "0"


def test_a_period_cuts_the_csv_to_its_days(config: Path, tmp_path: Path) -> None:
    arrivals = tmp_path / "arrivals.csv"
    arrivals.write_text(
        "created_at,channel\n2026-03-03T23:30:00+01:00,x-acme\n2026-03-04T00:30:00+01:00,x-acme\n"
        "2026-03-04T23:59:00+01:00,x-acme\n2026-03-05T00:00:00+01:00,x-acme\n",
        encoding="utf-8",
    )
    code, out = run("--arrivals", str(arrivals), "--agents", "1")
    assert code == 0 and out.startswith(
        "Staffing simulation: 4 conversations from the file arrivals.csv, 3 Mar"
    )
    code, out = run("--arrivals", str(arrivals), "--agents", "1", "--period", "2026-03-04")
    assert code == 0 and "2 conversations from the file arrivals.csv, 4 Mar 2026 (" in out  # Paris days


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--agents", "8..2"), "agents must go from 1 up to"),
        (("--language", "de"), "unknown language 'de'"),
        (("--period", "last-week"), "period must be today, 7d, 30d"),
    ],
)
def test_bad_options_are_refused(config: Path, args: tuple[str, ...], message: str) -> None:
    code, out = run(*args)
    assert code == 2 and message in out


def test_a_csv_with_an_unknown_channel_is_refused(config: Path, tmp_path: Path) -> None:
    arrivals = tmp_path / "arrivals.csv"
    arrivals.write_text("created_at,channel\n2026-03-04T09:00:00Z,fb-nobody\n", encoding="utf-8")
    code, out = run("--arrivals", str(arrivals))
    assert code == 2 and "line 2: no channel named 'fb-nobody'" in out
