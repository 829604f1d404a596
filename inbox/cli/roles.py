"""`inbox role channels|list`: the channels every account of a role works (an outsourcers' role, a point of
sale's), from the command line; audited as 'cli'. An account restricted too works the channels both allow."""

from __future__ import annotations

import typer
from sqlmodel import Session

from inbox.access import ROLES
from inbox.cli.messages import error, warning
from inbox.cli.users import channel_names
from inbox.desk import accounts, auth, channel_scope
from inbox.i18n import _
from inbox.settings import Settings
from inbox.store.engine import open_engine
from inbox.store.tables import utcnow


def work_channels(
    role: str = typer.Argument(..., help="agent | manager | admin"),
    names: str = typer.Argument(..., help="comma-separated channel names, or 'all'"),
) -> None:
    """Restrict every account of a role to some channels; 'all' lifts it. Their open conversations on
    other channels go back to the queue. Audited."""
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session, session.begin():
            known = channel_scope.known_channels(session, Settings().config_dir)
            saved, released = channel_scope.set_role_channels(
                session, accounts.OPERATOR, role.strip().lower(), channel_names(names), known, utcnow()
            )
            stranded = [u.name for u in channel_scope.stranded(session, role.strip().lower())]
        works = ", ".join(saved) or _("every channel")
        typer.echo(_("role '{role}' works {channels}").format(role=role.strip().lower(), channels=works))
        typer.echo(channel_scope.released_words(released))
        if stranded:
            warning(_("these accounts now work no channel: {names}").format(names=", ".join(stranded)))
    except auth.AuthError as exc:
        error(exc)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def list_roles() -> None:
    """Show the channels each role works."""
    engine = open_engine(Settings().database_url)
    with Session(engine) as session:
        restricted = channel_scope.role_channels(session)
    engine.dispose()
    for role in ROLES:
        typer.echo(f"{role:<8} channels={','.join(restricted.get(role, [])) or 'all'}")


def register(app: typer.Typer) -> None:
    """Add the ``role`` command group to the ``inbox`` command line."""
    roles = typer.Typer(help="The channels each role works.", no_args_is_help=True)
    roles.command("channels")(work_channels)
    roles.command("list")(list_roles)
    app.add_typer(roles, name="role")
