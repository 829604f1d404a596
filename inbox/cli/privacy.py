"""``inbox privacy export|erase|purge|hold|release`` and ``inbox audit``: a person's rights from the terminal.

Every command names who runs it (``--actor``, default ``cli:<login>``) and, for a person's data, why
(``--reason``, required); both go to the audit log.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from sqlmodel import Session

from inbox.cli.messages import fail, invalid_charter
from inbox.i18n import _
from inbox.privacy import audit_log, erase, requests, retention
from inbox.privacy.readable import record_html
from inbox.privacy.subject import SubjectError, find_subject, set_hold
from inbox.settings import Settings
from inbox.store.engine import open_engine

privacy_app = typer.Typer(
    help="A person's data: export, erasure, retention, legal holds.", no_args_is_help=True
)
CONTACT = typer.Option(..., "--contact", help="CHANNEL:HANDLE_OR_ID, e.g. x-acme:jane (linked accounts too).")
REASON = typer.Option(..., "--reason", help="Why (kept in the audit log), e.g. the request's reference.")
ACTOR = typer.Option(None, "--actor", help="Who runs this (default cli:<login>).")


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def _reason(reason: str) -> str:
    if not reason.strip():
        raise fail(_("--reason must say why (it goes to the audit log)"))
    return reason.strip()


class RecordFormat(StrEnum):
    json = "json"
    html = "html"


@privacy_app.command("export")
def export(
    contact: str = CONTACT,
    reason: str = REASON,
    format: RecordFormat = typer.Option(
        RecordFormat.json, "--format", help="json (complete, for machines) or html (a page the person reads)"
    ),
    actor: str | None = ACTOR,
) -> None:
    """Print everything held on a person, across their linked accounts (audited)."""
    why, now = _reason(reason), datetime.now(UTC)
    settings = Settings()
    engine = open_engine(settings.database_url)
    try:
        with Session(engine) as session, session.begin():
            subject = find_subject(session, contact)
            who = _actor(actor)
            data = requests.export_record(
                session, subject, actor=who, reason=why, now=now, via="cli", form=format.value
            )
            zone = _team_zone(session, settings.config_dir)
    except SubjectError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    if format is RecordFormat.html:
        sys.stdout.write(record_html(data, zone))
        return
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _team_zone(session: Session, config_dir: Path) -> tzinfo:
    """The charter's main team's time zone, for the times of a readable record (UTC without a charter)."""
    from inbox.charter.versions import current_charter
    from inbox.config.loader import ConfigError

    try:
        charter = current_charter(session, config_dir)
    except ConfigError:
        return UTC
    return ZoneInfo(charter.team(charter.sla.team).timezone)


@privacy_app.command("erase")
def erase_command(
    contact: str = CONTACT,
    reason: str = REASON,
    yes: bool = typer.Option(False, "--yes", help="Confirm: this cannot be undone."),
    actor: str | None = ACTOR,
) -> None:
    """Erase a person's data across their linked accounts, keeping anonymous KPI rows (audited)."""
    why = _reason(reason)
    if not yes:
        raise fail(_("erasure cannot be undone: add --yes to confirm"))
    engine = open_engine(Settings().database_url)
    try:
        report = erase.erase(engine, contact, actor=_actor(actor), reason=why, now=datetime.now(UTC))
    except (SubjectError, erase.LegalHold) as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    typer.echo(_("erased {contact}: {counts}").format(contact=contact, counts=report.line()))


def _set_hold(contact: str, reason: str | None, actor: str | None, release_reason: str | None = None) -> None:
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session, session.begin():
            subject = find_subject(session, contact)
            set_hold(
                session,
                subject,
                reason,
                actor=_actor(actor),
                now=datetime.now(UTC),
                release_reason=release_reason,
            )
    except SubjectError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()


@privacy_app.command("hold")
def hold(contact: str = CONTACT, reason: str = REASON, actor: str | None = ACTOR) -> None:
    """Put a person under legal hold: their data is kept, erasure is refused (audited)."""
    _set_hold(contact, _reason(reason), actor)
    typer.echo(_("{contact} is under legal hold").format(contact=contact))


@privacy_app.command("release")
def release(contact: str = CONTACT, reason: str = REASON, actor: str | None = ACTOR) -> None:
    """Lift a person's legal hold (audited, with the reason)."""
    _set_hold(contact, None, actor, release_reason=_reason(reason))
    typer.echo(_("{contact} is no longer under legal hold").format(contact=contact))


@privacy_app.command("purge")
def purge(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would go; change nothing."),
    actor: str | None = ACTOR,
) -> None:
    """Apply the charter's [privacy.retention] periods; safe from cron and to interrupt."""
    from inbox.charter.versions import current_charter
    from inbox.config.loader import ConfigError

    settings = Settings()
    engine = open_engine(settings.database_url)
    try:
        with Session(engine) as session:
            try:
                charter = current_charter(session, settings.config_dir)
            except ConfigError as exc:
                raise fail(invalid_charter(exc)) from None
        result = retention.purge(
            engine, charter.privacy.retention, datetime.now(UTC), actor=_actor(actor), dry_run=dry_run
        )
    finally:
        engine.dispose()
    typer.echo(result.line(dry_run))


class AuditFormat(StrEnum):
    table = "table"
    csv = "csv"


def audit_command(
    since: str = typer.Option("7d", "--since", help="How far back: 7d, 24h, 30m."),
    actor: str | None = typer.Option(None, "--actor", help="Only this actor's events."),
    action: str | None = typer.Option(
        None, "--action", help="Only actions starting with this, e.g. privacy."
    ),
    customer: str | None = typer.Option(
        None, "--customer", help="Only events about this person: CHANNEL:HANDLE_OR_ID (linked accounts too)."
    ),
    conversation: int | None = typer.Option(
        None, "--conversation", help="Only events about this conversation."
    ),
    format: AuditFormat = typer.Option(AuditFormat.table, "--format", help="table or csv."),
) -> None:
    """Print the audit log: who did what, when, to what (newest last)."""
    try:
        span = audit_log.parse_since(since)
    except ValueError as exc:
        raise fail(str(exc)) from None
    since_at = datetime.now(UTC) - span
    filters = audit_log.Filters(
        since_at, actor=actor, action=action, customer=customer, conversation=conversation
    )
    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session:
            rows = audit_log.events(session, filters)
    except SubjectError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    out = audit_log.to_csv(rows) if format is AuditFormat.csv else audit_log.to_table(rows)
    typer.echo(out, nl=False)


def register(app: typer.Typer) -> None:
    """Add ``privacy`` and ``audit`` to the ``inbox`` command line."""
    app.add_typer(privacy_app, name="privacy")
    app.command("audit")(audit_command)
