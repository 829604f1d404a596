"""`inbox charter export`: the charter version in force (or any saved one) written as a commented TOML file.

The rule is ``inbox.charter.charter_file``'s: the database holds the versions, config/charter.toml is the copy
of the one in force. This command writes that copy where the Charter page could not (another machine, a
read-only folder, a git checkout), comments kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from sqlmodel import Session

from inbox.charter import charter_file
from inbox.charter import versions as charter_versions
from inbox.charter.editor import text_diff
from inbox.charter.model import CHARTER_FILE
from inbox.cli.messages import fail
from inbox.config.loader import config_text
from inbox.i18n import _, ngettext
from inbox.settings import Settings
from inbox.store.engine import open_engine
from inbox.store.tables.enforcement import CharterVersion

charter_app = typer.Typer(help="The response charter: its saved versions and the file.", no_args_is_help=True)


def _version_text(session: Session, config_dir: Path, version: int | None) -> tuple[int | None, str]:
    if version is None:
        return charter_versions.current_text(session, config_dir)
    row = session.get(CharterVersion, version)
    if row is None:
        raise fail(
            _("no charter version #{version} (see the Charter page's history)").format(version=version)
        )
    return row.id, row.toml


@charter_app.command("export")
def export(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Where to write (default: charter.toml of INBOX_CONFIG_DIR); - = stdout."
    ),
    version: int | None = typer.Option(None, "--version", help="A saved version (default: the one in force)"),
) -> None:
    """Write the charter in force as a commented TOML file (the comments of config/charter.toml kept)."""
    settings = Settings()
    engine = open_engine(settings.database_url)
    try:
        with Session(engine) as session:
            found, text = _version_text(session, settings.config_dir, version)
    finally:
        engine.dispose()
    current_file = charter_file.read_file(settings.config_dir)
    text = charter_file.commented(text, current_file)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return
    path = output or settings.config_dir / CHARTER_FILE
    before = config_text(path)
    if before == text:
        if found is None:
            typer.echo(
                _("{path}: already the file (no version saved yet), nothing to write").format(path=path)
            )
        else:
            typer.echo(
                _("{path}: already version #{version}, nothing to write").format(path=path, version=found)
            )
        return
    charter_file.write(path, text)
    diff = text_diff(before, text, "a", "b").splitlines()[2:]
    changed = sum(1 for line in diff if line[:1] in ("+", "-"))
    typer.echo(_written(found, changed).format(path=path, version=found, count=changed))


def _written(version: int | None, changed: int) -> str:
    """What ``export`` says it wrote: a version, or the file's own text when no version is saved."""
    if version is None:
        return ngettext(
            "{path}: the file (no version saved yet) written ({count} line added or removed)",
            "{path}: the file (no version saved yet) written ({count} lines added or removed)",
            changed,
        )
    return ngettext(
        "{path}: version #{version} written ({count} line added or removed)",
        "{path}: version #{version} written ({count} lines added or removed)",
        changed,
    )


def register(app: typer.Typer) -> None:
    """Add ``charter`` to the ``inbox`` command line."""
    app.add_typer(charter_app, name="charter")
