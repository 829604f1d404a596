"""The peak plan's state: measured by the listener each automation tick, read by the queue. Never commits.

The plan is on while the backlog or the forecast of breaches reaches a threshold of ``[peak]`` (decided by
``inbox.charter.rules.peak_active``). Turning on and off is audited once, even with several listeners: the
switch is a conditional UPDATE only one of them can win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col

from inbox.charter.model import Charter
from inbox.charter.rules import peak_active
from inbox.i18n import _, ngettext, number
from inbox.store import records as store
from inbox.store.tables.enforcement import PeakState

ROW_ID = 1
STALE_AFTER = timedelta(minutes=5)  # no listener measured it since: the queue does not claim a peak


@dataclass(frozen=True, slots=True)
class PeakStatus:
    """What the queue shows. ``active`` is False when the measure is stale (no listener running)."""

    active: bool
    since: datetime | None
    backlog: int
    forecast_breaches: int
    checked_at: datetime | None
    promise_hours: int | None
    backlog_at_least: int | None
    forecast_breaches_at_least: int | None

    def summary(self) -> str:
        """One line for the queue banner."""
        promise = (
            _("; new public mentions are told we answer within {hours} h").format(hours=self.promise_hours)
            if self.promise_hours
            else ""
        )
        waiting = ngettext(
            "Peak plan on: {backlog} conversation waiting, {late} at risk or late{promise}.",
            "Peak plan on: {backlog} conversations waiting, {late} at risk or late{promise}.",
            self.backlog,
        )
        return waiting.format(
            backlog=number(self.backlog), late=number(self.forecast_breaches), promise=promise
        )


def _row(session: Session) -> PeakState:
    row = session.get(PeakState, ROW_ID)
    if row is None:  # the migration creates it; a database built otherwise gets it on first use
        row = PeakState(id=ROW_ID)
        session.add(row)
        session.flush()
    return row


def record_peak(
    session: Session, charter: Charter, *, backlog: int, forecast_breaches: int, now: datetime
) -> PeakState:
    """Store this tick's measure and switch the plan on or off; returns the row (``since`` when on)."""
    _row(session)
    active = peak_active(charter, backlog=backlog, forecast_breaches=forecast_breaches)
    switched = session.execute(
        update(PeakState)
        .where(col(PeakState.id) == ROW_ID, col(PeakState.active) == (not active))
        .values(active=active, since=now if active else None)
        .execution_options(synchronize_session=False)
    )
    if switched.rowcount == 1:  # type: ignore[attr-defined]
        store.audit(
            session,
            "automation",
            "peak.started" if active else "peak.ended",
            detail={"backlog": backlog, "forecast_breaches": forecast_breaches},
            at=now,
        )
    session.execute(
        update(PeakState)
        .where(col(PeakState.id) == ROW_ID)
        .values(backlog=backlog, forecast_breaches=forecast_breaches, checked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return _row(session)


def peak_status(session: Session, charter: Charter | None, now: datetime) -> PeakStatus:
    """The peak plan as last measured; not active when the measure is older than ``STALE_AFTER``."""
    row = session.get(PeakState, ROW_ID)
    peak = charter.peak if charter else None
    fresh = row is not None and row.checked_at is not None and now - row.checked_at <= STALE_AFTER
    return PeakStatus(
        active=bool(row and row.active and fresh),
        since=row.since if row else None,
        backlog=row.backlog if row else 0,
        forecast_breaches=row.forecast_breaches if row else 0,
        checked_at=row.checked_at if row else None,
        promise_hours=peak.promise_hours if peak else None,
        backlog_at_least=peak.backlog_at_least if peak else None,
        forecast_breaches_at_least=peak.forecast_breaches_at_least if peak else None,
    )
