"""The audit log read back (``inbox audit``): events since a time, by actor or action, as a table or CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from inbox.store.tables import AuditEvent

_SPAN = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
COLUMNS = ("at", "actor", "action", "target", "detail")


def parse_since(spec: str) -> timedelta:
    """``7d``, ``24h`` or ``30m`` as a duration; ValueError otherwise."""
    match = _SPAN.match(spec)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"--since must be a positive number of days, hours or minutes (7d, 24h, 30m): {spec!r}"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def events(
    session: Session, since: datetime, *, actor: str | None = None, action: str | None = None
) -> list[dict[str, str]]:
    """Events at or after ``since`` (oldest first), as flat rows."""
    stmt = select(AuditEvent).where(col(AuditEvent.at) >= since)
    if actor is not None:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action is not None:
        stmt = stmt.where(col(AuditEvent.action).startswith(action))
    rows = []
    for e in session.exec(stmt.order_by(col(AuditEvent.at), col(AuditEvent.id))):
        target = f"{e.target_type}:{e.target_id}" if e.target_type else ""
        when = e.at.isoformat(timespec="seconds") if e.at else ""
        detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""
        rows.append(dict(zip(COLUMNS, (when, e.actor, e.action, target, detail), strict=True)))
    return rows


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "no audit event in that period\n"
    return "".join(
        f"{r['at']}  {r['actor']:<16} {r['action']:<24} {r['target']:<20} {r['detail']}\n" for r in rows
    )
