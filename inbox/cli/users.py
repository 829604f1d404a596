"""`inbox user add|list`: local accounts from the command line; passwords prompted or read from stdin."""

from __future__ import annotations

import sys

import typer
from sqlmodel import Session

from inbox.access import ROLE_LABELS
from inbox.cli import accounts as account_commands
from inbox.cli.messages import error
from inbox.desk import accounts, auth, channel_scope, preferences, sign_in
from inbox.i18n import _
from inbox.settings import Settings
from inbox.store.engine import open_engine
from inbox.store.tables import utcnow


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt(
        _("Password"), hide_input=True, confirmation_prompt=_("Repeat for confirmation")
    )
    return password


def add(
    name: str = typer.Argument(..., help="Sign-in name: lower-case letters, digits, '.', '_' or '-'."),
    role: str = typer.Option(..., "--role", help="agent | manager | admin"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    display_name: str | None = typer.Option(None, "--display-name", help="The name colleagues see."),
    languages: str = typer.Option(
        "", "--languages", help="Comma-separated, e.g. fr,en (for auto-assignment)."
    ),
    capacity: int = typer.Option(
        20, "--capacity", min=1, help="Open conversations before auto-assignment skips."
    ),
    channels: str = typer.Option(
        "", "--channels", help="Comma-separated channel names they work (default: every channel)."
    ),
    language: str | None = typer.Option(
        None,
        "--language",
        help="Language of their screens: fr | en (default: the charter's ui.default_language).",
    ),
) -> None:
    """Add a user who can sign in to the inbox."""
    password = _read_password(password_stdin)
    engine = open_engine(Settings().database_url)
    langs = [lang for lang in languages.split(",") if lang.strip()]
    try:
        accounts.check_password(password)  # a person's choice: the demo seed alone has shorter ones
        with Session(engine) as session, session.begin():
            user = auth.create_user(
                session,
                name,
                password,
                role,
                actor="cli",
                display_name=display_name,
                languages=langs,
                capacity=capacity,
            )
            if channels.strip():
                known = channel_scope.known_channels(session, Settings().config_dir)
                channel_scope.set_channels(
                    session, accounts.OPERATOR, user.name, channel_names(channels), known, utcnow()
                )
            if language is not None:
                assert user.id is not None
                preferences.set_language(session, user.id, language.lower(), by="cli", by_role="admin")
            added = _("user '{name}' added ({role})")
            typer.echo(added.format(name=user.name, role=_(ROLE_LABELS[user.role])))
    except (auth.AuthError, preferences.PreferenceError) as exc:
        error(exc)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def channel_names(value: str) -> list[str]:
    """A CLI list of channels: comma-separated names, or 'all' (an empty list: every channel)."""
    return [] if value.strip().lower() == "all" else [c.strip() for c in value.split(",") if c.strip()]


def work_channels(
    name: str = typer.Argument(..., help="the user name"),
    names: str = typer.Argument(..., help="comma-separated channel names, or 'all'"),
) -> None:
    """Restrict a user to some channels (an outsourcer, a point of sale); 'all' lifts it. Their open
    conversations on other channels go back to the queue. Audited."""
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session, session.begin():
            known = channel_scope.known_channels(session, Settings().config_dir)
            user, released = channel_scope.set_channels(
                session, accounts.OPERATOR, name, channel_names(names), known, utcnow()
            )
            works = ", ".join(user.channels) or _("every channel")
            typer.echo(_("user '{name}' works {channels}").format(name=user.name, channels=works))
            typer.echo(channel_scope.released_words(released))
    except auth.AuthError as exc:
        error(exc)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def list_users() -> None:
    """Show every user: name, role, languages, capacity, active."""
    engine = open_engine(Settings().database_url)
    with Session(engine, expire_on_commit=False) as session:
        users = auth.list_users(session)
    engine.dispose()
    if not users:
        typer.echo(_("no user yet: add one with `inbox user add NAME --role agent`"))
    for u in users:
        langs = ",".join(u.languages) or "-"
        state = "active" if u.active else "inactive"
        scope = ",".join(u.channels) or "all"
        line = f"{u.name:<20} {u.role:<8} {langs:<8} capacity={u.capacity:<4} channels={scope:<12} {state}"
        typer.echo(f"{line}  {u.display_name or ''}")


def unlock(name: str = typer.Argument(..., help="the user name to unlock")) -> None:
    """Lift a user name's sign-in lock-out at once (an operator's action, audited as 'cli')."""
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session, session.begin():
            sign_in.unlock(session, name, by="cli", by_role="admin", now=utcnow())
        typer.echo(_("user '{name}' unlocked").format(name=name.strip().lower()))
    except sign_in.UnlockError as exc:
        error(exc)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    """Add the ``user`` command group to the ``inbox`` command line."""
    users = typer.Typer(help="Users who sign in to the inbox.", no_args_is_help=True)
    users.command("add")(add)
    users.command("list")(list_users)
    users.command("channels")(work_channels)
    users.command("unlock")(unlock)
    account_commands.register(users)
    app.add_typer(users, name="user")
