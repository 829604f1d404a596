"""`inbox user deactivate|reactivate|signout|role|languages|capacity|password|until`: the operator manages
accounts (audited: 'cli')."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time

import typer
from sqlmodel import Session

from inbox.access import PermissionDenied
from inbox.cli.messages import error
from inbox.desk import accounts, auth
from inbox.i18n import _
from inbox.settings import Settings
from inbox.store.engine import open_engine
from inbox.store.tables import User, utcnow

NAME = typer.Argument(..., help="the user name")


def _change(done: str, act: Callable[[Session], User], **values: object) -> None:
    """Run ``act`` in a transaction; say ``done`` (translated; ``{name}`` and ``values``) or the error."""
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session, session.begin():
            user = act(session)
            typer.echo(done.format(name=user.name, **values))
    except (auth.AuthError, PermissionDenied, ValueError) as exc:
        error(exc)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def deactivate(name: str = NAME) -> None:
    """The user can no longer sign in; their open sessions end at their next page."""
    _change(
        _("user '{name}' deactivated"), lambda s: accounts.deactivate(s, accounts.OPERATOR, name, utcnow())
    )


def signout(name: str = NAME) -> None:
    """End every session of the user at once, in every browser; they may sign in again."""
    _change(
        _("user '{name}' signed out everywhere"),
        lambda s: accounts.sign_out_everywhere(s, accounts.OPERATOR, name, utcnow()),
    )


def reactivate(name: str = NAME) -> None:
    """The user can sign in again."""
    _change(
        _("user '{name}' reactivated"), lambda s: accounts.reactivate(s, accounts.OPERATOR, name, utcnow())
    )


def role(name: str = NAME, new_role: str = typer.Argument(..., help="agent | manager | admin")) -> None:
    """Change a user's role."""
    _change(
        _("user '{name}' is now {role}"),
        lambda s: accounts.set_role(s, accounts.OPERATOR, name, new_role, utcnow()),
        role=new_role,
    )


def languages(
    name: str = NAME,
    codes: str = typer.Argument(..., help="comma-separated ISO 639-1 codes, e.g. fr,en,es"),
) -> None:
    """Set the languages a user answers customers in (auto-assignment matches them)."""
    spoken = [code for code in codes.split(",") if code.strip()]
    _change(
        _("user '{name}' speaks {languages}"),
        lambda s: accounts.set_languages(s, accounts.OPERATOR, name, spoken, utcnow()),
        languages=",".join(c.strip().lower() for c in spoken),
    )


def capacity(
    name: str = NAME,
    open_conversations: int = typer.Argument(
        ..., help="open conversations before auto-assignment skips them"
    ),
) -> None:
    """Set how many open conversations a user holds before auto-assignment skips them."""
    _change(
        _("user '{name}': capacity {capacity}"),
        lambda s: accounts.set_capacity(s, accounts.OPERATOR, name, open_conversations, utcnow()),
        capacity=open_conversations,
    )


def password(
    name: str = NAME,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read it from standard input."),
) -> None:
    """Reset a user's password (at least 12 characters)."""
    if password_stdin:
        new = sys.stdin.readline().rstrip("\r\n")
    else:
        new = typer.prompt(
            _("New password"), hide_input=True, confirmation_prompt=_("Repeat for confirmation")
        )
    _change(
        _("password of '{name}' reset"),
        lambda s: accounts.reset_password(s, accounts.OPERATOR, name, new, utcnow()),
    )


def _end(value: str) -> datetime | None:
    """'none' -> None; a date (the account works through that day, UTC) or an ISO time with its offset."""
    if value.strip().lower() in ("none", "never", ""):
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time.max, tzinfo=UTC)
    except ValueError:
        pass
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        message = _("'{value}': give a date (2026-12-31) or a time with its offset (2026-12-31T18:00+01:00)")
        raise ValueError(message.format(value=value))
    return at


def until(
    name: str = NAME,
    end: str = typer.Argument(
        ..., help="2026-12-31 (through that day, UTC), an ISO time with offset, or none"
    ),
) -> None:
    """Give a temporary account an end date after which it cannot sign in ('none' removes it)."""
    try:
        at = _end(end)
    except ValueError as exc:
        error(exc)
        raise typer.Exit(2) from None
    _change(
        _("user '{name}': {end}") if at else _("user '{name}': no end date"),
        lambda s: accounts.set_end_date(s, accounts.OPERATOR, name, at, utcnow()),
        end=at.isoformat() if at else "",
    )


def register(users: typer.Typer) -> None:
    """Add the account commands to the ``inbox user`` group."""
    users.command("deactivate")(deactivate)
    users.command("reactivate")(reactivate)
    users.command("signout")(signout)
    users.command("role")(role)
    users.command("languages")(languages)
    users.command("capacity")(capacity)
    users.command("password")(password)
    users.command("until")(until)
