"""The automation tick: what the charter enforces on its own, each thing once, however often and wherever run.

``run_automation`` is called by the listener (``inbox listen``: every tick of its automation thread;
``inbox listen --once``: once, before the outbox is drained). Every step uses short transactions and is
idempotent, so running it twice, or in two processes at once, sends nothing twice. Order: moderation (spam
and abuse leave the queue before anything answers them), opt-outs (a STOP is read before anything automatic
is queued to its author), the retention purge (once a day), surveys (an answer
may close its conversation), incidents (new matching conversations join, waiting members get the approved
reply or resolution message: ``inbox.desk.incidents``), snoozed conversations whose time came opened again
(``inbox.desk.snooze``), one scan of the running clocks, out-of-hours replies, moves to private messages
on a contact reason (``private_move``), the peak plan and its acknowledgements, live assignment
(``inbox.desk.live_assignment``), escalation alerts,
then spike alerts and the peak plan's start and end (``traffic_alerts``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from connectors.alerts import WebhookConnector
from inbox.automation.auto_replies import send_out_of_hours, send_peak_acks
from inbox.automation.escalation import AlertSender, EscalationReport, escalate
from inbox.automation.moderation_step import moderate
from inbox.automation.peak import record_peak
from inbox.automation.private_move import move_to_private
from inbox.automation.spikes import SpikeReport
from inbox.automation.surveys import run_surveys
from inbox.automation.traffic_alerts import PeakMeasure, watch_traffic
from inbox.charter.model import Charter
from inbox.charter.open_clocks import OpenClock, late_count, open_clocks
from inbox.charter.versions import CharterBook, LiveCharter
from inbox.config.loader import ConfigError
from inbox.desk.incidents.joining import run_incidents
from inbox.desk.live_assignment import assign_live
from inbox.desk.snooze import wake_due
from inbox.i18n import _, ngettext
from inbox.privacy.opt_out import record_opt_outs
from inbox.privacy.retention import purge_if_due
from inbox.replies import composer
from inbox.settings import secret

log = logging.getLogger("inbox.automation.tick")


@dataclass
class AutomationReport:
    out_of_hours: int = 0
    peak_active: bool = False
    peak_acks: int = 0
    alerts_sent: int = 0
    alerts_failed: int = 0
    surveys_queued: int = 0
    surveys_answered: int = 0
    webhook: bool = False
    moderated: int = 0
    opted_out: int = 0  # accounts that asked for no more automatic messages this tick
    purged: str | None = None  # the daily retention purge's line, on the tick that ran it
    spike_alerts: int = 0  # spikes and peak-plan switches alerted this tick
    assigned: int = 0  # conversations handed to agents with room (live assignment)
    incident_joins: int = 0  # conversations that joined an open incident this tick
    moved_private: int = 0  # public conversations moved to private messages on their contact reason
    woken: int = 0  # snoozed conversations opened again, their time come

    def line(self) -> str:
        """What the tick did, in one line in the current language (``inbox listen --once`` prints it)."""
        n = self
        peak = (
            ngettext("peak plan on, {n} acknowledgement", "peak plan on, {n} acknowledgements", n.peak_acks)
            if n.peak_active
            else _("no peak")
        ).format(n=n.peak_acks)
        alerts = (
            ngettext("{n} alert sent", "{n} alerts sent", n.alerts_sent).format(n=n.alerts_sent)
            + ", "
            + ngettext("{n} failed", "{n} failed", n.alerts_failed).format(n=n.alerts_failed)
            if n.webhook
            else _("no webhook")
        )
        parts = [
            ngettext("{n} out-of-hours reply", "{n} out-of-hours replies", n.out_of_hours).format(
                n=n.out_of_hours
            ),
            peak,
            alerts,
            ngettext("{n} survey queued", "{n} surveys queued", n.surveys_queued).format(n=n.surveys_queued),
            ngettext("{n} answer", "{n} answers", n.surveys_answered).format(n=n.surveys_answered),
            ngettext("{n} message moderated", "{n} messages moderated", n.moderated).format(n=n.moderated),
            ngettext("{n} account opted out", "{n} accounts opted out", n.opted_out).format(n=n.opted_out),
        ]
        extras = [
            (
                n.incident_joins,
                ngettext("{n} joined an incident", "{n} joined an incident", n.incident_joins),
            ),
            (n.spike_alerts, ngettext("{n} spike alert", "{n} spike alerts", n.spike_alerts)),
            (n.assigned, ngettext("{n} assigned live", "{n} assigned live", n.assigned)),
            (
                n.moved_private,
                ngettext("{n} moved to private messages", "{n} moved to private messages", n.moved_private),
            ),
            (n.woken, ngettext("{n} snoozed conversation back", "{n} snoozed conversations back", n.woken)),
        ]
        said = [text.format(n=count) for count, text in extras if count] + ([n.purged] if n.purged else [])
        return _("automation: {what}").format(what=", ".join(parts)) + "".join(f"; {s}" for s in said)


def webhook_for(charter: Charter) -> WebhookConnector | None:
    """The escalation webhook from the environment variable the charter names; None when unset."""
    name = charter.escalation.webhook_url_env
    url = secret(name) if name else None
    if url is None:
        return None
    try:
        return WebhookConnector(url)
    except ValueError as exc:
        log.error("escalation: %s (variable %s); no alert sent", exc, name)
        return None


def _escalate(
    engine: Engine, book: CharterBook, clocks: Sequence[OpenClock], alerts: AlertSender | None, now: datetime
) -> tuple[EscalationReport | None, bool]:
    if alerts is not None:
        return escalate(engine, book, clocks, alerts, now), True
    sender = webhook_for(book.current)
    if sender is None:
        return None, False
    try:
        return escalate(engine, book, clocks, sender, now), True
    finally:
        sender.close()


def _traffic(
    engine: Engine, charter: Charter, alerts: AlertSender | None, now: datetime, peak: PeakMeasure | None
) -> SpikeReport | None:
    """Spike and peak-plan alerts (``inbox.automation.traffic_alerts``); None without a webhook."""
    sender = alerts if alerts is not None else webhook_for(charter)
    if sender is None:
        return None
    try:
        return watch_traffic(engine, charter, sender, now, peak)
    finally:
        if isinstance(sender, WebhookConnector) and alerts is None:
            sender.close()


def run_automation(
    engine: Engine,
    charter: Charter | CharterBook,
    now: datetime,
    *,
    alerts: AlertSender | None = None,
    templates: composer.TemplatesFile | None = None,
) -> AutomationReport:
    """One tick. ``alerts`` defaults to the charter's webhook; without ``templates`` the charter's texts."""
    book = charter if isinstance(charter, CharterBook) else CharterBook(charter)
    current = book.current
    report = AutomationReport()
    report.moderated = moderate(engine, current, now)
    report.opted_out = record_opt_outs(engine, current.privacy.opt_out.phrases, now)  # before any message
    purged = purge_if_due(engine, current.privacy.retention, now, actor="automation")  # once a day
    report.purged = purged.line() if purged else None
    surveys = run_surveys(engine, current, templates, now)
    report.surveys_queued, report.surveys_answered = surveys.queued, surveys.answered
    report.incident_joins = run_incidents(engine, now).joined  # and their waiting replies queued
    with Session(engine) as session, session.begin():
        report.woken = len(wake_due(session, now))  # before the clocks: a woken one is in the queue again
    with Session(engine) as session:
        clocks = open_clocks(session, book, now)
        past_due = late_count(session, now)  # every late clock, also past those read
    report.out_of_hours = send_out_of_hours(engine, current, clocks, templates, now)
    report.moved_private = move_to_private(engine, current, templates, now)  # [privacy] topics, by reason
    unread = max(past_due - sum(1 for c in clocks if c.due_at < now), 0)
    backlog, late = len(clocks) + unread, sum(1 for c in clocks if c.state != "on_track") + unread
    try:
        with Session(engine) as session, session.begin():
            state = record_peak(session, current, backlog=backlog, forecast_breaches=late, now=now)
            active, since = state.active, state.since or now
        measured: PeakMeasure | None = PeakMeasure(active, backlog, late)
    except OperationalError as exc:  # SQLite busy: measured again next tick
        log.debug("peak state not recorded this tick: %s", exc)
        active, since, measured = False, now, None
    report.peak_active = active
    if active:
        report.peak_acks = send_peak_acks(engine, current, clocks, templates, since, now)
    report.assigned = assign_live(engine, current, now)  # [assignment] automatic
    escalation, report.webhook = _escalate(engine, book, clocks, alerts, now)
    if escalation is not None:
        report.alerts_sent, report.alerts_failed = escalation.sent, escalation.failed
    traffic = _traffic(engine, current, alerts, now, measured)
    report.spike_alerts = traffic.sent if traffic else 0
    return report


class AutomationJob:
    """What a listener runs each tick: the live charter and the templates (re-read when the file changes)."""

    def __init__(self, engine: Engine, live: LiveCharter, config_dir: Path) -> None:
        self.engine, self.live, self.config_dir = engine, live, config_dir
        self._templates: tuple[float, composer.TemplatesFile | None] | None = None

    def templates(self) -> composer.TemplatesFile | None:
        """config/templates.toml, or None (the charter's own texts are used) when it is missing or invalid."""
        path = self.config_dir / "templates.toml"
        mtime = path.stat().st_mtime if path.exists() else 0.0
        if self._templates is None or self._templates[0] != mtime:
            try:
                loaded: composer.TemplatesFile | None = composer.load_templates(self.config_dir)
            except ConfigError as exc:
                log.warning("automatic messages use the charter's texts: %s", exc)
                loaded = None
            self._templates = (mtime, loaded)
        return self._templates[1]

    def __call__(self, now: datetime) -> AutomationReport:
        return run_automation(self.engine, self.live.book(), now, templates=self.templates())
