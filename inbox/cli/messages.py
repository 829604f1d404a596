"""What the ``inbox`` command tells its user beside its output: errors and warnings on stderr, and the
sentences several commands share. In the language ``inbox.cli.main.main`` set (``INBOX_LANGUAGE``, else the
locale): each is translated when it is printed, never at import."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from inbox.i18n import LANGUAGES, _

SECRET_SETTINGS = frozenset({"database_url", "session_secret"})  # their value may hold a password


def error(message: object) -> None:
    """``message`` (already in the command's language) on stderr as an error."""
    typer.echo(_("error: {message}").format(message=message), err=True)


def warning(message: object) -> None:
    """``message`` (already in the command's language) on stderr as a warning."""
    typer.echo(_("warning: {message}").format(message=message), err=True)


def fail(message: object, code: int = 2) -> typer.Exit:
    """Print ``message`` as an error; the exit (status ``code``) to raise."""
    error(message)
    return typer.Exit(code)


def invalid_configuration(problems: object) -> str:
    return _("invalid configuration:\n{problems}").format(problems=problems)


def invalid_settings(exc: ValidationError) -> str:
    """Each wrong variable of the environment (or ``.env``) as ``INBOX_NAME: what is wrong``; the value is
    repeated, except where it may hold a password."""
    lines = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        said = err["msg"].removeprefix("Value error, ")
        if name not in SECRET_SETTINGS and "input" in err:
            said += f" (got {err['input']!r})"
        lines.append(f"INBOX_{name.upper()}: {said}")
    return _("invalid settings (environment or .env):\n{problems}").format(problems="\n".join(lines))


def unreachable_database(why: object) -> str:
    return _("the database cannot be reached (INBOX_DATABASE_URL): {why}").format(why=why)


def invalid_charter(problems: object) -> str:
    return _("invalid charter (run `inbox config check`):\n{problems}").format(problems=problems)


def unknown_language(code: str) -> str:
    """A ``--language`` we do not have: "unknown language 'de': en or fr"."""
    choices = _(" or ").join(LANGUAGES)
    return _("unknown language '{language}': {choices}").format(language=code, choices=choices)
