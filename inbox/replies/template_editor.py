"""Templates created, edited, retired and restored on the Templates page. Session-taking, never commits.

The rule (README, "Reply templates"): config/templates.toml is the one source of truth, read by every
process as before (the screens within 30 seconds, the listener at its next tick). A save is checked like
the file and more (``inbox.replies.template_checks``), written back to the file at once with its comments
and the other templates untouched (``inbox.replies.template_toml``; a temporary file then a rename), and
refused when the file changed since the page read it. The database keeps the history: one
``TemplateVersion`` per change (who, when, the template before and after, why), audited. A retired template
stays in the file (``retired = true``) for its history and usage counts; agents are no longer offered it.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tomlkit
from sqlalchemy import func
from sqlmodel import Session, col, select

from inbox.access import Actor, require
from inbox.charter.charter_file import write
from inbox.config.loader import config_text
from inbox.i18n import _
from inbox.replies import template_toml
from inbox.replies.composer import Template, TemplatesFile, load_templates
from inbox.replies.template_checks import check
from inbox.store import records as store
from inbox.store.tables import OutboundReply, TemplateVersion

TEMPLATES_FILE = "templates.toml"


class StaleTemplates(Exception):
    """config/templates.toml changed since the page read it (another manager's save, or a hand edit)."""


class TemplateRefused(ValueError):
    """The template was not saved; ``errors`` says why, in the user's language."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Usage:
    """How often agents sent a template: delivered, and written in all (queued, failed included)."""

    sent: int = 0
    written: int = 0
    last_at: datetime | None = None


def digest(text: str) -> str:
    """What the page remembers of the file it read, to refuse overwriting a newer one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(config_dir: Path) -> str:
    path = config_dir / TEMPLATES_FILE
    return config_text(path)


def _plain(template: Template | None) -> dict[str, Any] | None:
    return template_toml.plain(template.model_dump()) if template is not None else None


def _action(before: Template | None, after: Template) -> str:
    if before is None:
        return "created"
    if after.retired != before.retired:
        return "retired" if after.retired else "restored"
    return "edited"


def save(
    session: Session,
    config_dir: Path,
    fields: Mapping[str, Any],
    *,
    original: str | None,
    by: Actor,
    comment: str,
    now: datetime,
    based_on: str,
    charter_uses: Mapping[str, str | None] | None = None,
) -> TemplateVersion:
    """Check ``fields`` as template ``original`` (None: a new one), write it to the file, keep the version.

    Raises PermissionDenied unless ``by`` may edit templates, StaleTemplates when the file is no longer the
    one read (``based_on``, its ``digest``), TemplateRefused with the errors, ConfigError when the file
    itself is invalid.
    """
    require(by, "templates")
    text = read_text(config_dir)
    if digest(text) != based_on:
        raise StaleTemplates()
    files: TemplatesFile = load_templates(config_dir) if text else TemplatesFile()
    checked = check(fields, files, original=original, charter_uses=charter_uses)
    if checked.template is None:
        raise TemplateRefused(checked.errors)
    before = files.get(original) if original is not None else None
    after = _plain(checked.template)
    assert after is not None
    if after == _plain(before):
        raise TemplateRefused([_("Nothing changed.")])
    new_text = template_toml.apply(text, checked.template.name, after)
    row = TemplateVersion(
        template=checked.template.name,
        action=_action(before, checked.template),
        saved_at=now,
        saved_by=by.name,
        before=_plain(before),
        after=after,
        comment=comment.strip(),
    )
    session.add(row)
    session.flush()
    store.audit(
        session,
        by.name,
        f"template.{row.action}",
        target=("template", row.template),
        detail={"version": row.id, "comment": row.comment, "changed": changed_keys(row.before, after)},
        at=now,
    )
    write(config_dir / TEMPLATES_FILE, new_text)
    return row


def set_retired(
    session: Session,
    config_dir: Path,
    template: Template,
    retired: bool,
    *,
    by: Actor,
    comment: str,
    now: datetime,
    based_on: str,
    charter_uses: Mapping[str, str | None] | None = None,
) -> TemplateVersion:
    """Retire a template (no longer offered to agents) or put it back in use; ``charter_uses``: see
    ``template_checks.check``."""
    fields = {**template.model_dump(), "retired": retired}
    return save(
        session,
        config_dir,
        fields,
        original=template.name,
        by=by,
        comment=comment,
        now=now,
        based_on=based_on,
        charter_uses=charter_uses,
    )


def changed_keys(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """The keys whose value differs (every key of a new template)."""
    old = before or {}
    return [k for k in dict.fromkeys([*after, *old]) if old.get(k) != after.get(k)]


def history(session: Session, name: str | None = None, limit: int = 200) -> list[TemplateVersion]:
    """Saved versions, newest first: of one template, or of all."""
    stmt = select(TemplateVersion).order_by(col(TemplateVersion.id).desc()).limit(limit)
    if name is not None:
        stmt = stmt.where(TemplateVersion.template == name)
    return list(session.exec(stmt))


def as_toml(values: Mapping[str, Any] | None) -> str:
    """One template as the file writes it ('' for none)."""
    return tomlkit.dumps({"templates": [dict(values)]}) if values else ""


def diff(row: TemplateVersion) -> str:
    """What one version changed, as a unified diff of the template's TOML."""
    lines = difflib.unified_diff(
        as_toml(row.before).splitlines(keepends=True),
        as_toml(row.after).splitlines(keepends=True),
        _("before"),
        _("version {id}").format(id=row.id),
    )
    return "".join(lines)


def usage(session: Session) -> dict[str, Usage]:
    """Per template name: replies the agents wrote from it (not counting one taken back before it went),
    those delivered, and the last one's time."""
    stmt = (
        select(
            OutboundReply.template,
            OutboundReply.status,
            func.count(),
            func.max(OutboundReply.created_at),
        )
        .where(col(OutboundReply.template).is_not(None), OutboundReply.status != "cancelled")
        .group_by(col(OutboundReply.template), col(OutboundReply.status))
    )
    out: dict[str, Usage] = {}
    for name, status, count, last in session.exec(stmt):
        if name is None:
            continue
        seen = out.get(name, Usage())
        latest = max((t for t in (seen.last_at, last) if t is not None), default=None)
        sent = seen.sent + (count if status == "sent" else 0)
        out[name] = Usage(sent, seen.written + count, latest)
    return out
