"""Traffic alerts of one tick: spikes (``inbox.automation.spikes``) and the peak plan's start and end.

The peak plan's start and end are alerted once each to the escalation webhook (``[spikes] alert_peak_plan``).

The plan's state is measured each tick (``inbox.automation.peak``); its alerts ride on a ``traffic_spike`` row
of scope ``peak``: opened when the plan is on and no row is open (one listener wins the unique ``open_key``),
closed when it is off (one listener wins the conditional UPDATE). Each winner posts once; the end alert goes
only after a start alert was decided, so a listener started in the middle of a peak still announces its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.automation import spikes
from inbox.automation.escalation import AlertSender
from inbox.automation.spike_text import peak_payload
from inbox.charter.model import Charter
from inbox.i18n import use_language
from inbox.store.tables import TrafficSpike

SCOPE = "peak"


def alert_peak(
    engine: Engine,
    charter: Charter,
    sender: AlertSender,
    *,
    active: bool,
    backlog: int,
    late: int,
    now: datetime,
) -> spikes.SpikeReport:
    """Post the start or the end of the peak plan when it switched since the last tick."""
    report = spikes.SpikeReport()
    if not charter.spikes.alert_peak_plan:
        return report
    with Session(engine) as session:
        row = spikes.open_spikes(session).get(SCOPE)
        since = row.opened_at if row else None
    with use_language(charter.ui.default_language):
        payload = peak_payload(active, backlog, late, since, now)
    if active and row is None:
        spike_id = spikes.claim(engine, SCOPE, payload, now, count=backlog)
        if spike_id is not None:
            report.opened += 1
            spikes.tally(report, spikes.post(engine, spike_id, payload, sender, now, retry=False))
    elif not active and row is not None and row.id is not None and spikes.close(engine, row.id, now):
        report.closed += 1
        with Session(engine) as session, session.begin():
            closed = session.get(TrafficSpike, row.id)
            assert closed is not None
            closed.end_alert_status = "sending"
        spikes.tally(
            report, spikes.post(engine, row.id, payload, sender, now, field="end_alert_status", retry=False)
        )
    return report


@dataclass(frozen=True, slots=True)
class PeakMeasure:
    """The peak plan as this tick measured it."""

    active: bool
    backlog: int
    late: int


def watch_traffic(
    engine: Engine, charter: Charter, sender: AlertSender, now: datetime, peak: PeakMeasure | None
) -> spikes.SpikeReport:
    """Spikes, then the peak plan's switch (``peak`` None: not measured this tick, nothing decided)."""
    report = spikes.watch(engine, charter, sender, now)
    if peak is not None:
        more = alert_peak(
            engine, charter, sender, active=peak.active, backlog=peak.backlog, late=peak.late, now=now
        )
        report.opened, report.closed = report.opened + more.opened, report.closed + more.closed
        report.sent, report.failed = report.sent + more.sent, report.failed + more.failed
    return report
