"""The listening job: poll each channel's streams, one committed page at a time.

Each page and the cursor that covers it are committed in one transaction. A rate limit or an outage
on one stream sets that stream's ``retry_at`` and never holds up the other streams or channels.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import ConnectorError, RateLimited
from inbox import store
from inbox.channels import Runtime
from inbox.deadlines import DuePolicy
from inbox.ingest import Classifier, ingest_batch
from inbox.models import Channel

log = logging.getLogger("inbox.listen")

Clock = Callable[[], datetime]
MAX_PAGES_PER_POLL = 20
BUDGET_WARN_AT = 0.8


@dataclass
class StreamReport:
    channel: str
    stream: str
    new: int = 0
    duplicates: int = 0
    outbound: int = 0
    quarantined: int = 0
    pages: int = 0
    error: str | None = None
    fatal: bool = False  # a person must act (credentials, configuration)
    skipped: str | None = None

    def line(self) -> str:
        head = f"{self.channel}/{self.stream}: "
        if self.skipped:
            return head + f"skipped ({self.skipped})"
        counts = f"{self.new} new, {self.outbound} own, {self.duplicates} already stored"
        counts += f", {self.quarantined} quarantined"
        return head + counts + (f"; {self.error}" if self.error else "")


def backoff_seconds(failures: int) -> float:
    """30 s, 60 s, 120 s … capped at 15 minutes."""
    return float(min(900, 30 * 2 ** max(0, failures - 1)))


def _budget_state(channel: Channel, budget: int | None, now: datetime) -> str | None:
    """'spent' or 'warn' when the monthly read budget is at 100% or past 80%, else None."""
    if budget is None or channel.read_month != now.strftime("%Y-%m"):
        return None
    if channel.reads_used >= budget:
        return "spent"
    return "warn" if channel.reads_used >= BUDGET_WARN_AT * budget else None


def _record_failure(engine: Engine, channel_id: int, stream: str, exc: ConnectorError, now: datetime) -> None:
    with Session(engine) as session, session.begin():
        row = store.cursor_row(session, channel_id, stream)
        row.failures += 1
        row.last_poll_at = now
        row.last_error = f"{type(exc).__name__}: {exc}"
        wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after is not None else None
        row.retry_at = now + timedelta(seconds=wait if wait is not None else backoff_seconds(row.failures))


def _check_budget(session: Session, channel: Channel, rt: Runtime, now: datetime) -> str | None:
    """Warn once a month past 80% of the read budget; a reason to skip the poll when it is spent."""
    budget = rt.config.monthly_read_budget
    state = _budget_state(channel, budget, now)
    month = now.strftime("%Y-%m")
    if state is not None and channel.budget_warned_month != month:
        channel.budget_warned_month = month
        log.warning("%s: %s of %s monthly reads used (80%% warning)", rt.name, channel.reads_used, budget)
        store.audit(
            session,
            "listener",
            "budget.warning",
            target=("channel", channel.name),
            detail={"reads_used": channel.reads_used, "budget": budget, "month": month},
            at=now,
        )
    if state == "spent":
        return (
            f"monthly read budget spent ({channel.reads_used}/{budget} reads in {month}); "
            "polling paused until next month or until the budget is raised in channels.toml"
        )
    return None


def poll_stream(
    engine: Engine,
    rt: Runtime,
    stream: str,
    *,
    clock: Clock,
    due: DuePolicy,
    classifier: Classifier | None = None,
    max_pages: int = MAX_PAGES_PER_POLL,
) -> StreamReport:
    """Read one stream until it has nothing more (or ``max_pages``), committing page by page."""
    report = StreamReport(rt.name, stream)
    for _ in range(max_pages):
        now = clock()
        with Session(engine) as session, session.begin():
            channel = store.ensure_channel(session, rt.name, rt.config.platform, rt.config.account)
            cursor = store.cursor_row(session, channel.id or 0, stream)
            if cursor.retry_at is not None and cursor.retry_at > now:
                report.skipped = (
                    report.skipped or f"waiting until {cursor.retry_at:%H:%M:%S} UTC: {cursor.last_error}"
                )
                return report
            report.skipped = _check_budget(session, channel, rt, now)
            if report.skipped:
                return report
            position, channel_id = cursor.cursor, channel.id or 0
        try:
            batch = rt.connector.fetch(stream, position)
        except ConnectorError as exc:
            _record_failure(engine, channel_id, stream, exc, clock())
            report.error, report.fatal = f"{type(exc).__name__}: {exc}", not exc.retryable
            return report
        with Session(engine) as session, session.begin():
            channel = store.ensure_channel(session, rt.name, rt.config.platform, rt.config.account)
            result = ingest_batch(
                session, channel, stream, batch, due=due, now=clock(), classifier=classifier
            )
        report.pages += 1
        report.new += result.new
        report.duplicates += result.duplicates
        report.outbound += result.outbound
        report.quarantined += result.quarantined
        if not batch.more:
            break
    return report


def poll_channel(
    engine: Engine, rt: Runtime, *, clock: Clock, due: DuePolicy, classifier: Classifier | None = None
) -> list[StreamReport]:
    """Every stream of one channel; a failure on one stream does not stop the next."""
    return [
        poll_stream(engine, rt, s, clock=clock, due=due, classifier=classifier) for s in rt.connector.streams
    ]
