"""`inbox report --language fr`: tables and CSV for people in French; JSON keys and the default CSV stay the
stable names scripts read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from inbox.cli.report import register
from inbox.i18n import use_language
from tests.support.reports_seed import seed_known_set, write_config


def run(*args: str) -> tuple[int, str]:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """inbox"""

    register(app)
    result = CliRunner().invoke(app, ["report", *args])
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def seeded(engine: Engine, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    seed_known_set(engine, folder)


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_for_people_in_french(seeded: None) -> None:
    code, out = run("--period", "2026-03-04", "--format", "csv", "--language", "fr")
    assert code == 0, out
    header, *rows = _csv(out)
    assert header == ["Indicateur", "Valeur", "Détail"]
    names = [row[0] for row in rows]
    assert "Respect des délais (%)" in names and "Résolution au premier contact (%)" in names


def test_without_a_language_the_csv_and_json_keep_the_stable_names(seeded: None) -> None:
    code, out = run("--period", "2026-03-04", "--format", "csv")
    assert code == 0 and _csv(out)[0] == ["kpi", "value", "detail"]
    code, out = run("--period", "2026-03-04", "--format", "json", "--language", "fr")
    summary = {row["kpi"]: row["value"] for row in json.loads(out)["tables"]["summary"]}
    assert code == 0 and summary["sla_attainment_pct"] == 37.5


def test_the_terminal_table_in_french(seeded: None) -> None:
    code, out = run("--period", "2026-03-04", "--table", "sentiment", "--language", "fr")
    assert code == 0, out
    assert out.startswith("Rapport\u00a0: ")
    assert "Tonalité des messages clients" in out and "Part (%)" in out


def test_the_terminal_table_follows_the_command_lines_language(seeded: None) -> None:
    """INBOX_LANGUAGE=fr (or LANG=fr_FR.UTF-8) sets the command's language: its table is French too."""
    with use_language("fr"):
        code, out = run("--period", "2026-03-04", "--table", "sentiment")
        assert code == 0 and out.startswith("Rapport\u00a0: ") and "Part (%)" in out
        code, out = run("--period", "2026-03-04", "--format", "csv")
        assert code == 0 and _csv(out)[0] == ["kpi", "value", "detail"]  # scripts read the stable names


def test_the_summarys_details_are_sentences_in_french_and_stable_english_in_the_csv(seeded: None) -> None:
    code, out = run("--period", "2026-03-04", "--table", "summary", "--language", "fr")
    assert code == 0, out
    assert "premier message client dans la période" in out and "3 dans les délais sur 8" in out
    assert "first customer message" not in out and " met of " not in out
    assert "37,5" in out and "37.5" not in out  # the attainment, with a French decimal comma
    code, out = run("--period", "2026-03-04", "--format", "csv")
    details = {row[0]: row[2] for row in _csv(out)[1:]}
    assert details["conversations"] == "first customer message in the period"
    assert details["sla_attainment_pct"].startswith("3 met of 8; goal ")


def test_an_unknown_language_is_refused(seeded: None) -> None:
    code, out = run("--language", "de")
    assert code == 2 and "unknown language 'de'" in out
