"""`inbox team add|members|list|remove`: teams of agents from the command line (audited as cli), with the
contact reasons the charter routes to each, a team the charter names but nobody created flagged; in French
with INBOX_LANGUAGE=fr as in English."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from click.testing import Result
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from inbox import i18n
from inbox.cli.teams import register
from inbox.desk import teams
from inbox.store.tables import AuditEvent
from tests.conftest import ROOT
from tests.support.seed_desk import seed

ROUTES = """
[reasons.billing_payment]
teams = ["billing"]

[reasons.account_access]
urgency = "high"
teams = ["recovery"]
"""


@pytest.fixture
def cli(db_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    charter = config / "charter.toml"
    text = charter.read_text(encoding="utf-8")
    start = text.index("[reasons.account_access]")
    charter.write_text(text[:start] + ROUTES, encoding="utf-8")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    seed(engine, datetime.now(UTC))  # alice, bruno (agents), maya (manager)
    return CliRunner()


def team(runner: CliRunner, *args: str) -> Result:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """inbox"""

    register(app)
    return runner.invoke(app, ["team", *args])


def test_the_operator_creates_fills_lists_and_removes_a_team(cli: CliRunner, engine: Engine) -> None:
    added = team(cli, "add", "billing", "--members", "bruno,maya")
    assert (added.exit_code, added.stdout.strip()) == (0, "team billing: bruno, maya")
    assert team(cli, "add", "billing").exit_code == 2  # taken
    unknown = team(cli, "members", "billing", "bruno,zed")
    assert unknown.exit_code == 2 and "no user named 'zed'" in unknown.stderr
    assert team(cli, "members", "billing", "alice").stdout.strip() == "team billing: alice"
    listed = team(cli, "list")
    assert listed.exit_code == 0
    assert listed.stdout.strip() == "team billing: alice  (reasons: billing_payment)"
    assert "routes account_access to team recovery, which does not exist" in listed.stderr
    assert team(cli, "members", "billing", "none").stdout.strip() == "team billing: no member"
    assert team(cli, "remove", "billing").stdout.strip() == "team billing removed"
    assert team(cli, "remove", "billing").exit_code == 2
    with Session(engine) as s:
        assert teams.members(s) == {}
        actions = s.exec(select(AuditEvent.actor, AuditEvent.action).where(AuditEvent.target_type == "team"))
        assert list(actions) == [
            ("cli", "team.created"),
            ("cli", "team.members"),
            ("cli", "team.members"),
            ("cli", "team.members"),
            ("cli", "team.removed"),
        ]


def test_the_team_commands_speak_french(cli: CliRunner) -> None:
    with i18n.use_language("fr"):
        added = team(cli, "add", "recouvrement")
        wrong = team(cli, "add", "Mauvais nom")
        listed = team(cli, "list")
    assert added.stdout.strip() == "équipe recouvrement\u00a0: aucun membre"
    assert wrong.exit_code == 2 and wrong.stderr.startswith("erreur\u00a0: un nom d'équipe")
    assert "équipe recouvrement\u00a0: aucun membre  (motifs\u00a0: -)" in listed.stdout
    assert "n'existe pas" in listed.stderr
