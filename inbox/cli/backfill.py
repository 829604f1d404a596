"""``inbox backfill``: read a channel's history back to ``--since`` into the store, with a progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from inbox.cli.messages import error, fail
from inbox.config.loader import ConfigError
from inbox.i18n import _
from inbox.ingest.backfill import (
    BackfillError,
    StreamProgress,
    backfill_stream,
    backfill_streams,
    parse_since,
)
from inbox.jobs import context
from inbox.nlp.process import ClassifierProcess


def _bar(console: Console) -> Progress:
    # rich fills the {task...} fields of each column's template; the words around them are translated
    percent = _("{number}%").format(number="{task.percentage:>3.0f}")
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn(_("{percent} of the period").format(percent=percent)),
        TextColumn(_("{count} messages").format(count="{task.fields[messages]:>9,}")),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _advance(bar: Progress, task: TaskID, now: datetime) -> Callable[[StreamProgress], None]:
    def update(p: StreamProgress) -> None:
        covered = (now - p.reached).total_seconds() if p.reached else 0.0
        bar.update(task, completed=covered, messages=p.new + p.outbound)

    return update


@contextmanager
def _classifier_process(config_dir: Path, console: Console) -> Iterator[ClassifierProcess | None]:
    """The classifier in its own process (it classifies a page while the previous one is stored); None,
    with a warning, when the model cannot be loaded: messages are then stored unclassified."""
    with ClassifierProcess(config_dir) as ahead:
        try:
            ahead.ready()
        except Exception as exc:  # noqa: BLE001 - a broken model must not stop the backfill
            console.print(
                _("warning: {message}").format(
                    message=_("classification disabled: {error}").format(error=exc)
                )
            )
            yield None
            return
        yield ahead


def backfill(
    channel: str = typer.Option(..., "--channel", help="The channel's name in channels.toml."),
    since: str = typer.Option("7d", "--since", help="How far back: 7d, 24h, 30m."),
    stream: list[str] = typer.Option([], "--stream", help="Only these streams (default: all that can)."),
) -> None:
    """Read a channel's streams back to --since, page by page (resumes an interrupted backfill)."""
    try:
        span = parse_since(since)
        ctx = context.build(with_channels=True)
    except (ValueError, ConfigError) as exc:
        raise fail(exc) from None
    try:
        _backfill(ctx, channel, span, stream)
    finally:
        ctx.engine.dispose()


def _backfill(ctx: context.AppContext, channel: str, span: timedelta, stream: list[str]) -> None:
    """The backfill of ``channel``'s streams (``stream``: only these) back ``span``; exits with its status."""
    rt = next((r for r in ctx.runtimes if r.name == channel), None)
    if rt is None:
        error(_("no runnable channel named '{name}'").format(name=channel))
        for problem in ctx.problems:
            error(problem)
        raise typer.Exit(2)
    streams = [s for s in backfill_streams(rt) if not stream or s in stream]
    if not streams:
        raise fail(_("channel '{name}' has no stream that can be read back in time").format(name=channel))
    now = ctx.clock()
    start = now - span
    failed = False
    console = Console(stderr=True)
    with _classifier_process(ctx.settings.config_dir, console) as ahead, _bar(console) as bar:
        for name in streams:
            task = bar.add_task(f"{channel}/{name}", total=span.total_seconds(), messages=0)
            try:
                done = backfill_stream(
                    ctx.engine,
                    rt,
                    name,
                    start,
                    clock=ctx.clock,
                    due=ctx.due,
                    ahead=ahead,
                    on_page=_advance(bar, task, now),
                    worker=ctx.worker,
                )
            except BackfillError as exc:
                resume = _("{error} (rerun to resume)").format(error=exc)
                bar.console.print(_("error: {message}").format(message=resume))
                failed = True
                continue
            bar.update(task, completed=span.total_seconds())
            line = f"{channel}/{done.line()}"
            typer.echo(_("resumed; {line}").format(line=line) if done.resumed else line)
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer) -> None:
    """Add ``inbox backfill`` to the command line."""
    app.command("backfill")(backfill)
