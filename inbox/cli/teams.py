"""``inbox team add|members|list|remove``: teams of agents (a named group of accounts) from the command line,
which the charter's routing by contact reason names (``[reasons.<reason>] teams``). An operator's actions,
audited as ``cli``; the rules live in ``inbox.desk.teams``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from sqlmodel import Session

from inbox.charter.versions import current_charter
from inbox.config.loader import ConfigError
from inbox.desk import teams
from inbox.desk.accounts import OPERATOR
from inbox.i18n import _
from inbox.settings import Settings
from inbox.store.engine import open_engine
from inbox.store.tables import utcnow


def _names(value: str) -> list[str]:
    return [] if value.strip().lower() == "none" else [u.strip() for u in value.split(",") if u.strip()]


@contextmanager
def _writing() -> Iterator[Session]:
    """A transaction; a refusal is printed on stderr with exit status 2."""
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session, session.begin():
            yield session
    except teams.TeamError as exc:
        typer.echo(_("error: {message}").format(message=exc), err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def _members_line(name: str, users: list[str]) -> str:
    return _("team {name}: {members}").format(name=name, members=", ".join(users) or _("no member"))


def add(
    name: str = typer.Argument(..., help="The team's name: lower-case letters, digits, '-' or '_'."),
    members: str = typer.Option("", "--members", help="Comma-separated user names in the team."),
) -> None:
    """Create a team of agents (routing by contact reason names it in the charter). Audited."""
    with _writing() as session:
        created = teams.create_team(session, OPERATOR, name, utcnow()).name
        chosen = teams.set_members(session, OPERATOR, created, _names(members), utcnow()) if members else []
    typer.echo(_members_line(created, chosen))


def set_members(
    name: str = typer.Argument(..., help="The team's name."),
    users: str = typer.Argument(..., help="Comma-separated user names, or 'none' to empty it."),
) -> None:
    """Set who is in a team of agents (replaces its members). Audited."""
    with _writing() as session:
        chosen = teams.set_members(session, OPERATOR, name, _names(users), utcnow())
    typer.echo(_members_line(name.strip().lower(), chosen))


def remove(name: str = typer.Argument(..., help="The team's name.")) -> None:
    """Remove a team of agents (its members' accounts stay). Audited."""
    with _writing() as session:
        teams.remove_team(session, OPERATOR, name, utcnow())
    typer.echo(_("team {name} removed").format(name=name.strip().lower()))


def _routes() -> dict[str, list[str]]:
    """Per team name, the contact reasons the charter in force routes to it."""
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session:
            reasons = current_charter(session, Settings().config_dir).reasons
    except (ConfigError, OSError):
        return {}
    finally:
        engine.dispose()
    out: dict[str, list[str]] = {}
    for reason, rule in sorted(reasons.items()):
        for team in rule.teams:
            out.setdefault(team, []).append(reason)
    return out


def list_teams() -> None:
    """Show every team of agents, its members and the contact reasons the charter routes to it."""
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session:
            found = teams.members(session)
    finally:
        engine.dispose()
    routes = _routes()
    if not found and not routes:
        typer.echo(_("no team yet: add one with `inbox team add NAME --members alice,bruno`"))
    for name, users in found.items():
        reasons = ", ".join(routes.get(name, [])) or "-"
        typer.echo(_members_line(name, users) + "  " + _("(reasons: {reasons})").format(reasons=reasons))
    for name in sorted(set(routes) - set(found)):
        message = _("the charter routes {reasons} to team {name}, which does not exist: it adds nobody")
        typer.echo(message.format(reasons=", ".join(routes[name]), name=name), err=True)


COMMANDS: dict[str, Callable[..., None]] = {
    "add": add,
    "members": set_members,
    "list": list_teams,
    "remove": remove,
}


def register(app: typer.Typer) -> None:
    """Add the ``team`` command group to the ``inbox`` command line."""
    group = typer.Typer(help="Teams of agents, for routing by contact reason.", no_args_is_help=True)
    for name, command in COMMANDS.items():
        group.command(name)(command)
    app.add_typer(group, name="team")
