"""``inbox report``: the dashboard's KPIs for a period in the terminal, as CSV or as JSON (for cron); with
``--send``, the digest posted to the charter's escalation webhook (a weekly cron job delivers it)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import typer
from sqlmodel import Session

from connectors.base import ConnectorError
from inbox.automation.tick import webhook_for
from inbox.charter.versions import CharterBook, charter_book, current_charter
from inbox.cli.messages import error, fail, invalid_charter, unknown_language
from inbox.config.loader import ConfigError
from inbox.i18n import DEFAULT, LANGUAGES, _, current, use_language
from inbox.reports.digest import digest_payload
from inbox.reports.labels import for_people
from inbox.reports.period import Period, PeriodError, before, parse_period
from inbox.reports.queries import channel_id, channel_names
from inbox.reports.reasons import ReasonShare, reason_mix
from inbox.reports.report import (
    LiveReport,
    PeriodReport,
    attainment_windows,
    live_report,
    period_report,
    report_tz,
)
from inbox.reports.tables import all_tables, to_csv, to_json
from inbox.reports.terminal import render_all
from inbox.settings import Settings
from inbox.store.engine import open_engine


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def report(
    period: str = typer.Option(
        "7d",
        "--period",
        help="today, 7d, 30d (the current day and the days before it) or YYYY-MM-DD..YYYY-MM-DD.",
    ),
    channel: str | None = typer.Option(
        None, "--channel", help="Only this channel (name from channels.toml)."
    ),
    format: ReportFormat = typer.Option(ReportFormat.table, "--format", help="table, csv or json."),
    table: str | None = typer.Option(
        None,
        "--table",
        help="Only this table, e.g. attainment_by_channel (CSV prints one table: summary by default).",
    ),
    language: str | None = typer.Option(
        None,
        "--language",
        help="fr or en: tables and CSV for people (translated headers and values). "
        "Without it, the stable column names scripts read; JSON keys never change.",
    ),
    send: bool = typer.Option(
        False,
        "--send",
        help="Post the digest (goals, targets, backlog, breaches, satisfaction, top contact reasons) to the "
        "charter's escalation webhook instead of printing the tables; in --language, else the charter's "
        "ui.default_language.",
    ),
) -> None:
    """Print the supervisor dashboard's KPIs for a period (same figures as the dashboard)."""
    if language is not None and language not in LANGUAGES:
        raise fail(unknown_language(language))
    settings = Settings()
    now = datetime.now(UTC)
    engine = open_engine(settings.database_url)
    try:
        with Session(engine) as session:
            try:  # the charter in force: the newest version saved in the editor, else the file
                current_charter(session, settings.config_dir)
                charter = charter_book(session, settings.config_dir)  # each one judges its arrivals
            except ConfigError as exc:
                raise fail(invalid_charter(exc)) from None
            try:
                chosen = parse_period(period, now, report_tz(charter))
            except PeriodError as exc:
                raise fail(str(exc)) from None
            if channel is not None and channel not in channel_names(session):
                known = ", ".join(channel_names(session)) or _("none")
                raise fail(_("no channel named '{name}'; known: {known}").format(name=channel, known=known))
            result = period_report(session, charter, chosen, now, channel)
            live = live_report(session, charter, now, channel)
            tables = all_tables(result, live, attainment_windows(session, charter, now, channel))
            earlier = before(chosen)  # the digest's top reasons change against the period just before
            previous = reason_mix(session, earlier, channel_id(session, channel)) if send else []
    finally:
        engine.dispose()
    if send:
        _send(charter, result, live, language, (previous, earlier))
        return
    if table is not None and table not in tables:
        raise fail(
            _("no table named '{name}'; tables: {tables}").format(name=table, tables=", ".join(tables))
        )
    picked = {table: tables[table]} if table else tables
    if format is ReportFormat.json:
        typer.echo(to_json(result, picked))
        return
    if language is None and format is ReportFormat.table and current() != DEFAULT:
        language = current()  # INBOX_LANGUAGE=fr (or LANG): the terminal's table speaks it; CSV stays stable
    with use_language(language):
        if format is ReportFormat.csv:
            chosen_table = tables[table or "summary"]
            typer.echo(to_csv(for_people(chosen_table) if language else chosen_table), nl=False)
            return
        shown = [for_people(t) for t in picked.values()] if language else list(picked.values())
        where = _(" · channel {name}").format(name=channel) if channel else ""
        heading = _("Report for {period}{where}").format(period=chosen.describe(), where=where)
        typer.echo(render_all(shown, heading), nl=False)


def _send(
    book: CharterBook,
    result: PeriodReport,
    live: LiveReport,
    language: str | None,
    earlier: tuple[list[ReasonShare], Period],
) -> None:
    """Post the digest to the escalation webhook; exit 2 when none is set, 1 when the post fails.
    ``earlier``: the reason mix of the period just before, and that period (the top reasons' change)."""
    sender = webhook_for(book.current)
    if sender is None:
        name = book.current.escalation.webhook_url_env
        where = (
            _("the environment variable {name} is unset").format(name=name)
            if name
            else _("escalation.webhook_url_env is unset")
        )
        raise fail(_("no escalation webhook to send the digest to: {where}").format(where=where))
    with use_language(language or book.current.ui.default_language):
        payload = digest_payload(result, live, *earlier)
    try:
        sender.post(payload)
    except ConnectorError as exc:
        error(_("the digest was not delivered: {error}").format(error=exc))
        raise typer.Exit(1) from None
    finally:
        sender.close()
    typer.echo(
        _("digest for {period} sent to the escalation webhook").format(period=result.period.describe())
    )


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``inbox`` command line."""
    app.command("report")(report)
