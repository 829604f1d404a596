"""``inbox simulate``: how many agents it takes, by replaying a real arrival stream (docs/simulator.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer
from sqlmodel import Session

from inbox.charter.model import Charter
from inbox.charter.versions import current_charter
from inbox.cli.messages import fail, invalid_charter, unknown_language
from inbox.config.channels import load_channels
from inbox.config.loader import ConfigError
from inbox.i18n import LANGUAGES, use_language
from inbox.reports.period import Period, PeriodError, parse_period
from inbox.reports.simulation import words
from inbox.reports.simulation.arrivals import Arrival, ArrivalsError, read_csv, span
from inbox.reports.simulation.handling import DEFAULT_MINUTES, HandlingModel
from inbox.reports.simulation.plan import parse_agents, run_plan
from inbox.reports.simulation.stored import observed_handling, stored_arrivals
from inbox.reports.simulation.workload import POLICIES, Policy
from inbox.reports.tables import to_csv
from inbox.reports.terminal import render
from inbox.settings import Settings
from inbox.store.engine import open_engine


class PolicyChoice(StrEnum):
    deadline = "deadline"
    fifo = "fifo"


class SimulateFormat(StrEnum):
    table = "table"
    csv = "csv"


def _csv_arrivals(path: Path, settings: Settings) -> list[Arrival]:
    try:
        names = [c.name for c in load_channels(settings.config_dir).channels]
        with path.open(encoding="utf-8", newline="") as lines:
            return read_csv(lines, names)
    except (OSError, ArrivalsError, ConfigError) as exc:
        raise fail(f"{path}: {exc}") from None


def _history(
    settings: Settings, period: str | None, arrivals_file: Path | None, default_minutes: float
) -> tuple[Charter, list[Arrival], Period, HandlingModel, str | None]:
    """The charter in force, the arrivals, the period they are cut to, handling times and the source."""
    now = datetime.now(UTC)
    from_file = _csv_arrivals(arrivals_file, settings) if arrivals_file else None
    engine = open_engine(settings.database_url)
    try:
        with Session(engine) as session:
            try:
                charter = current_charter(session, settings.config_dir)
            except ConfigError as exc:
                raise fail(invalid_charter(exc)) from None
            tz = charter.team(charter.sla.team).zone
            try:
                chosen = parse_period(period or "30d", now, tz)
                whole = span(from_file, tz) if from_file is not None and period is None else None
            except PeriodError as exc:
                raise fail(str(exc)) from None
            history = parse_period("30d", now, tz) if from_file is not None else chosen
            handling = observed_handling(session, history, default_minutes)
            if from_file is None:
                return charter, stored_arrivals(session, chosen), chosen, handling, None
    finally:
        engine.dispose()
    assert arrivals_file is not None
    return charter, from_file, whole or chosen, handling, arrivals_file.name


def simulate(
    period: str | None = typer.Option(
        None,
        "--period",
        help="today, 7d, 30d or YYYY-MM-DD..YYYY-MM-DD (default: 30d; with --arrivals, the whole file).",
    ),
    agents: str = typer.Option(
        "2..8", "--agents", help="Staffing levels to try: 5, or a range such as 2..8."
    ),
    policy: PolicyChoice | None = typer.Option(
        None, "--policy", help="deadline (the queue's order) or fifo; default: both."
    ),
    arrivals: Path | None = typer.Option(
        None,
        "--arrivals",
        help="A CSV of arrivals (created_at, channel; kind, urgency optional) instead of stored messages.",
    ),
    seed: int = typer.Option(1, "--seed", help="Seed of the handling-time draws (same seed, same figures)."),
    handling_minutes: float = typer.Option(
        DEFAULT_MINUTES, "--handling-minutes", min=0.1, help="Mean handling time where none was measured."
    ),
    format: SimulateFormat = typer.Option(SimulateFormat.table, "--format", help="table or csv."),
    language: str | None = typer.Option(None, "--language", help="fr or en: the table's words and numbers."),
) -> None:
    """Replay real arrivals with 2, 3, … agents working the charter's hours: attainment, waits, backlog."""
    if language is not None and language not in LANGUAGES:
        raise fail(unknown_language(language))
    try:
        levels = parse_agents(agents)
    except ValueError as exc:
        raise fail(str(exc)) from None
    charter, found, chosen, handling, source = _history(Settings(), period, arrivals, handling_minutes)
    policies: tuple[Policy, ...] = (policy.value,) if policy else POLICIES
    plan = run_plan(
        charter,
        found,
        handling,
        agents=levels,
        policies=policies,
        start=chosen.start,
        end=chosen.end,
        seed=seed,
    )
    with use_language(language):
        if format is SimulateFormat.csv:
            typer.echo(to_csv(words.table(plan)), nl=False)
            return
        lines = [
            words.describe(plan, source),
            words.handling_note(handling),
            "",
            render(words.people_table(plan)),
        ]
        lines += ["", words.sentence(plan.of(policies[0]))]
        typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    """Add ``simulate`` to the ``inbox`` command line."""
    app.command("simulate")(simulate)
