"""The audit log read back (``inbox audit``, the Audit page): events filtered by period, who, action, customer
and conversation, as rows, a table or CSV. Session-taking; never commits.

Reading it is itself audited on the web (``audit.viewed``, ``audit.exported``, with the filters): who looked
at whom, when. Only community managers and admins may (``inbox.access``: "audit").
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from inbox.access import Actor, require
from inbox.privacy.record import concerning, conversation_ids
from inbox.privacy.subject import find_subject
from inbox.spreadsheet import safe_row
from inbox.store.records import audit
from inbox.store.tables import AuditEvent

_SPAN = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
COLUMNS = ("at", "actor", "action", "target", "detail")
MAX_ROWS = 5000  # the page shows the newest ones; a narrower filter shows the rest


@dataclass(frozen=True, slots=True)
class Filters:
    """``customer``: CHANNEL:HANDLE_OR_ID (their linked accounts and conversations too); ``action``: a prefix
    (``privacy`` matches ``privacy.export``); ``until``: exclusive."""

    since: datetime
    until: datetime | None = None
    actor: str | None = None
    action: str | None = None
    customer: str | None = None
    conversation: int | None = None

    def described(self) -> dict[str, Any]:
        """The filters as written to the audit log (times in ISO 8601)."""
        out: dict[str, Any] = {
            "since": self.since.isoformat(),
            "until": self.until.isoformat() if self.until else None,
        }
        out |= {"actor": self.actor, "action": self.action, "customer": self.customer}
        out["conversation"] = self.conversation
        return {k: v for k, v in out.items() if v is not None}


def parse_since(spec: str) -> timedelta:
    """``7d``, ``24h`` or ``30m`` as a duration; ValueError otherwise."""
    match = _SPAN.match(spec)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"--since must be a positive number of days, hours or minutes (7d, 24h, 30m): {spec!r}"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _statement(session: Session, f: Filters) -> Any:
    """The query for ``f``; SubjectError when ``f.customer`` names nobody."""
    stmt = select(AuditEvent).where(col(AuditEvent.at) >= f.since)
    if f.until is not None:
        stmt = stmt.where(col(AuditEvent.at) < f.until)
    if f.actor:
        stmt = stmt.where(AuditEvent.actor == f.actor)
    if f.action:
        stmt = stmt.where(col(AuditEvent.action).startswith(f.action))
    if f.conversation is not None:
        stmt = stmt.where(
            AuditEvent.target_type == "conversation", AuditEvent.target_id == str(f.conversation)
        )
    if f.customer:
        subject = find_subject(session, f.customer)
        own, joined = conversation_ids(session, subject)
        stmt = stmt.where(concerning(subject, own | joined))
    return stmt


def _row(e: AuditEvent) -> dict[str, Any]:
    target = f"{e.target_type}:{e.target_id}" if e.target_type else ""
    detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""
    return dict(zip(COLUMNS, (e.at, e.actor, e.action, target, detail), strict=True))


def search(session: Session, f: Filters, *, limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    """The newest ``limit`` events matching ``f``, newest first (``at`` a datetime)."""
    stmt = _statement(session, f).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    return [_row(e) for e in session.exec(stmt.limit(limit))]


def view(session: Session, by: Actor, f: Filters, now: datetime, *, action: str = "audit.viewed") -> None:
    """Record that ``by`` read (or exported, ``audit.exported``) the audit log with these filters."""
    require(by, "audit")
    audit(session, by.name, action, detail={"filters": f.described()}, at=now)


def actors_and_actions(session: Session) -> tuple[list[str], list[str]]:
    """Every actor and every action the log holds, sorted (the page's choices)."""
    actors = session.exec(select(AuditEvent.actor).distinct().order_by(col(AuditEvent.actor))).all()
    actions = session.exec(select(AuditEvent.action).distinct().order_by(col(AuditEvent.action))).all()
    return list(actors), list(actions)


def events(session: Session, f: Filters) -> list[dict[str, str]]:
    """Every event matching ``f`` (oldest first), as flat rows (``at`` in ISO 8601); SubjectError when
    ``f.customer`` names nobody."""
    stmt = _statement(session, f)
    return [flat(_row(e)) for e in session.exec(stmt.order_by(col(AuditEvent.at), col(AuditEvent.id)))]


def flat(row: dict[str, Any]) -> dict[str, str]:
    """A row with its time in ISO 8601 (UTC), for CSV and the terminal."""
    at = row["at"]
    return {**row, "at": at.isoformat(timespec="seconds") if isinstance(at, datetime) else str(at or "")}


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_row(flat(r)) for r in rows)  # details quote what people typed
    return out.getvalue()


def to_table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "no audit event in that period\n"
    return "".join(
        f"{r['at']}  {r['actor']:<16} {r['action']:<24} {r['target']:<20} {r['detail']}\n" for r in rows
    )
