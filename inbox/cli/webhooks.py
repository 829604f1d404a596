"""``inbox webhooks``: serve the webhook receiver with uvicorn, or replay the stored events that failed.

Behind a TLS-terminating proxy in production (Meta, X and Telegram deliver only to HTTPS). Another ASGI
server can run it too: ``uvicorn --factory inbox.cli.webhooks:create_app``.
"""

from __future__ import annotations

import typer
from starlette.applications import Starlette

from inbox.cli.messages import error, fail, invalid_configuration
from inbox.config.loader import ConfigError
from inbox.i18n import _
from inbox.ingest.webhooks.app import DEFAULT_MAX_BODY, webhook_app
from inbox.ingest.webhooks.receiver import Receiver
from inbox.jobs import context


def build_receiver(*, with_nlp: bool = True) -> tuple[Receiver, list[str]]:
    """The receiver over the configured channels, and the channels that cannot run (with why)."""
    ctx = context.build(with_channels=True, with_nlp=with_nlp)
    receiver = Receiver(ctx.engine, ctx.runtimes, due=ctx.due, clock=ctx.clock, classifier=ctx.classifier)
    return receiver, list(ctx.problems)


def create_app() -> Starlette:
    """ASGI factory for any server (settings from the environment, as the CLI)."""
    return webhook_app(build_receiver()[0])


def register(app: typer.Typer) -> None:
    """Add the ``webhooks`` command to the ``inbox`` CLI."""

    @app.command("webhooks")
    def webhooks(
        host: str = typer.Option("127.0.0.1", help="Address to bind (put a TLS proxy in front)."),
        port: int = typer.Option(8710, help="Port to listen on."),
        replay_pending: bool = typer.Option(
            False, "--replay-pending", help="Ingest the stored events left pending or failed, then exit."
        ),
        max_body: int = typer.Option(DEFAULT_MAX_BODY, help="Largest accepted body in bytes (413 above)."),
        nlp: bool = typer.Option(True, "--nlp/--no-nlp", help="Classify messages as the listener does."),
    ) -> None:
        """Receive platform webhooks at /webhooks/{channel}: verify, store raw, then ingest."""
        try:
            receiver, problems = build_receiver(with_nlp=nlp)
        except ConfigError as exc:
            raise fail(invalid_configuration(exc)) from None
        for problem in problems:
            error(problem)
        try:
            if replay_pending:
                report = receiver.replay_pending()
                replayed = _("replayed webhook events: {done} done, {failed} failed")
                typer.echo(replayed.format(done=report.done, failed=report.failed))
                raise typer.Exit(1 if report.failed else 0)
            names = ", ".join(sorted(receiver.channels)) or _("none")
            serving = _("webhooks for channels: {names} on {url}")
            typer.echo(serving.format(names=names, url=f"http://{host}:{port}/webhooks/<channel>"), err=True)
            import uvicorn

            app = webhook_app(receiver, max_body=max_body)
            uvicorn.run(app, host=host, port=port, lifespan="on", log_level="info")
        finally:
            receiver.engine.dispose()
