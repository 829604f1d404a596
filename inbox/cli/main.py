"""The ``inbox`` command line (Typer): listening and sending jobs, export, quarantine, sandboxes, demo."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import click
import typer
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from connectors.redact import RedactingFormatter
from inbox.automation import tick as automation
from inbox.cli.help_language import environment_language, localized_command
from inbox.cli.messages import (
    error,
    fail,
    invalid_configuration,
    invalid_settings,
    unreachable_database,
    warning,
)
from inbox.config.loader import ConfigError
from inbox.i18n import _, ngettext, use_language
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.jobs import context, worker
from inbox.outbox import delivery as outbox
from inbox.settings import Settings

app = typer.Typer(
    help="Social-care inbox: listen to social channels, answer customers within the charter.",
    no_args_is_help=True,
    add_completion=False,
)
export_app = typer.Typer(help="Export stored data.", no_args_is_help=True)
quarantine_app = typer.Typer(help="Payload items that could not be ingested.", no_args_is_help=True)
sandbox_app = typer.Typer(
    help="Loopback platform sandboxes for the demo and the tests.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
config_app = typer.Typer(help="The configuration folder (INBOX_CONFIG_DIR).", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(quarantine_app, name="quarantine")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")


def _processed(count: int) -> str:
    return ngettext("outbox: {count} reply processed", "outbox: {count} replies processed", count).format(
        count=count
    )


def _follow_moves(ctx: context.AppContext, runtimes: Sequence[Runtime]) -> None:
    """In cron mode too, a group move the outbox learnt from a delivered reply is followed at once (the
    listener's sender thread does it as it runs: ``worker.follow_answered_moves``); the last day is read."""
    at = ctx.clock()
    worker.follow_answered_moves(ctx.engine, runtimes, ctx.due, at - worker.LOOK_BACK, at)


def _context(*, with_channels: bool = True, with_nlp: bool = False) -> context.AppContext:
    try:
        return context.build(with_channels=with_channels, with_nlp=with_nlp)
    except ConfigError as exc:
        raise fail(invalid_configuration(exc)) from None


@app.command()
def listen(
    once: bool = typer.Option(False, "--once", help="Poll every channel once, send due replies, and exit."),
    channel: str | None = typer.Option(None, help="Only this channel."),
    automation_on: bool = typer.Option(
        True, "--automation/--no-automation", help="Automatic replies, escalation alerts and surveys."
    ),
) -> None:
    """Poll every configured channel on its interval (or once, for cron) and deliver the outbox."""
    ctx = _context(with_channels=True, with_nlp=True)
    runtimes = [rt for rt in ctx.runtimes if channel is None or rt.name == channel]
    for problem in ctx.problems:
        error(problem)
    _warn_config(ctx.settings.config_dir)
    if channel and not runtimes and not ctx.problems:
        message = _("no enabled channel named '{name}' in {file}")
        raise fail(message.format(name=channel, file=ctx.settings.config_dir / "channels.toml"))
    assert ctx.live is not None
    automate = (
        automation.AutomationJob(ctx.engine, ctx.live, ctx.settings.config_dir) if automation_on else None
    )
    if once:
        fatal = bool(ctx.problems)
        for rt in runtimes:
            reports = poll_channel(
                ctx.engine, rt, clock=ctx.clock, due=ctx.due, classifier=ctx.classifier, worker=ctx.worker
            )
            for report in reports:
                typer.echo(report.line(), err=bool(report.error))
                fatal = fatal or report.fatal
        if automate is not None:
            typer.echo(automate(ctx.clock()).line())
        sent = outbox.drain(ctx.engine, {rt.name: rt.connector for rt in runtimes}, ctx.clock)
        _follow_moves(ctx, runtimes)
        typer.echo(_processed(sent))
        raise typer.Exit(2 if fatal else 0)
    if not runtimes:
        raise fail(_("no channel can run (see the errors above)"))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    names = ", ".join(rt.name for rt in runtimes)
    typer.echo(_("listening on {channels} (Ctrl-C to stop)").format(channels=names))
    worker.run(
        ctx.engine,
        runtimes,
        stop,
        clock=ctx.clock,
        due=ctx.due,
        classifier=ctx.classifier,
        automate=automate,
        worker=ctx.worker,
    )


@app.command()
def send() -> None:
    """Deliver every due reply in the outbox once, then exit (for cron)."""
    ctx = _context(with_channels=True)
    for problem in ctx.problems:
        warning(problem)
    count = outbox.drain(ctx.engine, {rt.name: rt.connector for rt in ctx.runtimes}, ctx.clock)
    _follow_moves(ctx, ctx.runtimes)
    typer.echo(_processed(count))


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@export_app.command("messages")
def export_messages(
    format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", help="jsonl or csv"),
    channel: str | None = typer.Option(None, help="Only this channel."),
) -> None:
    """Print every stored message (one JSON object per line, or CSV)."""
    from inbox.reports.export import iter_messages, write_csv, write_jsonl

    ctx = _context(with_channels=False)
    try:
        records = iter_messages(ctx.engine, channel)
        writer = write_csv if format is ExportFormat.csv else write_jsonl
        writer(records, sys.stdout)
    finally:
        ctx.engine.dispose()


@quarantine_app.command("list")
def quarantine_list(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line, with the raw payload."),
) -> None:
    """Show the payload items that could not be ingested, with their errors."""
    from inbox.store.tables import Channel, QuarantinedItem

    ctx = _context(with_channels=False)
    with Session(ctx.engine) as session:
        rows = session.exec(
            select(QuarantinedItem, Channel.name)
            .join(Channel, col(Channel.id) == col(QuarantinedItem.channel_id))
            .order_by(col(QuarantinedItem.id))
        ).all()
    ctx.engine.dispose()
    if not rows:
        typer.echo(_("quarantine is empty"))
    for item, name in rows:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "id": item.id,
                        "channel": name,
                        "stream": item.stream,
                        "external_id": item.external_id,
                        "error": item.error,
                        "raw": item.raw,
                        "created_at": item.created_at.isoformat() if item.created_at else None,
                    }
                )
            )
        else:
            when = f"{item.created_at:%Y-%m-%d %H:%M}" if item.created_at else "?"
            typer.echo(f"#{item.id} {when} {name}/{item.stream} id={item.external_id or '-'}: {item.error}")


# Each is connectors/sandbox/<name>.py with a main(argv) -> exit code.
# alerts: the loopback escalation webhook the demo's alerts go to
SANDBOXES = ("x", "mastodon", "bluesky", "telegram", "meta", "alerts")


def _sandbox_command(platform: str) -> None:
    def run(ctx: typer.Context) -> None:
        import importlib

        module = importlib.import_module(f"connectors.sandbox.{platform}.server")
        args = ["--help" if a == "--help-sandbox" else a for a in ctx.args]
        raise typer.Exit(module.main(args))

    run.__doc__ = f"Run the loopback {platform} sandbox (options: `inbox sandbox {platform} --help-sandbox`)."
    extra = {"allow_extra_args": True, "ignore_unknown_options": True}
    sandbox_app.command(platform, context_settings=extra)(run)


for _platform in SANDBOXES:
    _sandbox_command(_platform)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations to the database (INBOX_DATABASE_URL)."""
    from inbox.settings import Settings
    from inbox.store.engine import open_engine

    logging.getLogger("alembic").setLevel(logging.INFO)  # each revision applied, with its description
    open_engine(Settings().database_url).dispose()  # migrated on opening; its connections closed now
    typer.echo(_("database is up to date"))


def _warn_config(folder: Path) -> None:
    """What ``inbox config check`` would report, as warnings at start (a listener still runs with them)."""
    from inbox.cli.config_check import check_folder

    for file, key, message in check_folder(folder):
        warning(f"{file}: {key}: {message}" if key else f"{file}: {message}")


@config_app.command("check")
def config_check(
    folder: Path | None = typer.Argument(None, help="Config folder (default: INBOX_CONFIG_DIR or config)."),
) -> None:
    """Validate charter, templates, channels and nlp rules; print each error with file and key."""
    from inbox.cli.config_check import check_folder
    from inbox.settings import Settings

    target = folder or Settings().config_dir
    problems = check_folder(target)
    for file, key, message in problems:
        typer.echo(f"{file}: {key}: {message}" if key else f"{file}: {message}", err=True)
    if problems:
        count = len(problems)
        found = ngettext("{count} problem in {folder}", "{count} problems in {folder}", count)
        raise fail(found.format(count=count, folder=target), code=1)
    typer.echo(_("{folder}: configuration is valid").format(folder=target))


@app.command()
def demo() -> None:
    """Start the five platform sandboxes, the listener, the webhook receiver and the web app (`make run`).

    Sandboxes of X, Mastodon, Bluesky, Telegram and Meta (Facebook, Instagram, WhatsApp): ports 8701-8705;
    the escalation webhook the alerts go to (`inbox sandbox alerts`): port 8706.
    The listener (`inbox listen`) and the webhook receiver (`inbox webhooks`, port 8710).
    The Streamlit app on http://127.0.0.1:8501; demo accounts agent, manager, admin (password = name).
    Ctrl-C stops them all.
    """
    from inbox.jobs.demo import run_demo

    raise typer.Exit(run_demo())


def _register_commands() -> None:
    """Add the command groups that live beside their domain modules (once per process)."""
    if getattr(app, "_inbox_registered", False):
        return
    app._inbox_registered = True  # type: ignore[attr-defined]
    from inbox.cli.users import register as register_users

    register_users(app)
    from inbox.cli.roles import register as register_roles

    register_roles(app)
    from inbox.cli.teams import register as register_teams

    register_teams(app)
    from inbox.cli.report import register as register_reports

    register_reports(app)
    from inbox.cli.backfill import register as register_backfill

    register_backfill(app)
    from inbox.cli.webhooks import register as register_webhooks

    register_webhooks(app)
    from inbox.cli.privacy import register as register_privacy

    register_privacy(app)
    from inbox.cli.simulate import register as register_simulate

    register_simulate(app)
    from inbox.cli.charter import register as register_charter

    register_charter(app)
    try:
        from inbox.cli.nlp import register as register_nlp
    except ImportError:  # the classification package is optional at this stage
        return
    register_nlp(app)


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit status."""
    log_format = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=logging.INFO, format=log_format)
    for handler in logging.getLogger().handlers:  # no log line ever carries a token (connectors.redact)
        handler.setFormatter(RedactingFormatter(log_format))
    logging.getLogger("alembic").setLevel(logging.WARNING)  # each command migrates: inbox.store says so
    _register_commands()
    language = environment_language()  # INBOX_LANGUAGE, else the locale (LANG…): help and messages
    try:
        with use_language(language):
            try:
                command = localized_command(app, language)
                result = command.main(args=argv, prog_name="inbox", standalone_mode=False)
            except ValidationError as exc:  # INBOX_* variables; other models' errors are ConfigErrors by now
                if exc.title != Settings.__name__:
                    raise
                error(invalid_settings(exc))
                return 2
            except OperationalError as exc:  # PostgreSQL down, a wrong host or password
                error(unreachable_database(str(exc.orig or exc).strip()))
                return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except SystemExit as exc:
        return int(exc.code or 0)
    except (click.ClickException, typer.TyperException) as exc:  # usage errors (typer bundles its own click)
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if show is None or not isinstance(code, int):
            raise
        show()
        return code
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
