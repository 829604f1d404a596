"""The listening job: poll each channel's streams, one committed page at a time.

Each page and the cursor that covers it are committed in one transaction. A rate limit or an outage
on one stream sets that stream's ``retry_at`` and never holds up the other streams or channels; so does a
page that cannot be read at all (``BadPayload``), while a bad item in a page is quarantined and the rest of
the page stored (``connectors.boundary``). Error texts are redacted before they are stored or shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import BadPayload, Batch, ConnectorError, RateLimited
from connectors.boundary import seal_batch
from connectors.capabilities import PacesReads
from inbox.backoff import backoff
from inbox.charter.deadlines import DuePolicy
from inbox.i18n import _, ngettext
from inbox.ingest import read_budget
from inbox.ingest.channels import Runtime
from inbox.ingest.collisions import store_retrying
from inbox.ingest.leases import Worker
from inbox.ingest.page import Classifier, IngestResult, ingest_batch
from inbox.store import records as store
from inbox.store.tables import Channel

log = logging.getLogger("inbox.ingest.poll")

Clock = Callable[[], datetime]
MAX_PAGES_PER_POLL = 20
RETRY_BASE_SECONDS, RETRY_CAP_SECONDS = 30.0, 900.0  # 30 s, 60 s … 15 min (inbox.backoff)


@dataclass
class StreamReport:
    channel: str
    stream: str
    new: int = 0
    duplicates: int = 0
    outbound: int = 0
    quarantined: int = 0
    edited: int = 0  # stored messages the customer edited (inbox.ingest.edits)
    pages: int = 0
    error: str | None = None
    fatal: bool = False  # a person must act (credentials, configuration)
    skipped: str | None = None

    def line(self) -> str:
        """``x-acme/mentions: 2 new, 0 own, 0 already stored, 0 quarantined``, in the current language."""
        head = f"{self.channel}/{self.stream}: "
        if self.skipped:
            return head + _("skipped ({why})").format(why=self.skipped)
        counts = ingest_counts(self.new, self.outbound, self.duplicates, self.quarantined)
        if self.edited:
            counts += ", " + ngettext("{n} edited", "{n} edited", self.edited).format(n=self.edited)
        return head + counts + (f"; {self.error}" if self.error else "")


def ingest_counts(new: int, outbound: int, duplicates: int, quarantined: int) -> str:
    """What a read stored: ``2 new, 0 own, 0 already stored, 0 quarantined`` (the brand's own items apart)."""
    return ", ".join(
        [
            ngettext("{n} new", "{n} new", new).format(n=new),
            ngettext("{n} own", "{n} own", outbound).format(n=outbound),
            ngettext("{n} already stored", "{n} already stored", duplicates).format(n=duplicates),
            ngettext("{n} quarantined", "{n} quarantined", quarantined).format(n=quarantined),
        ]
    )


def _record_failure(
    engine: Engine, channel_id: int, stream: str, exc: ConnectorError, now: datetime, error: str
) -> None:
    with Session(engine) as session, session.begin():
        row = store.cursor_row(session, channel_id, stream)
        row.failures += 1
        row.last_poll_at = now
        row.last_error = error
        wait = exc.retry_after if isinstance(exc, RateLimited) else None
        if wait is None:
            wait = backoff(row.failures, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS)
            if exc.retryable and exc.retry_after is not None:  # a 503's Retry-After: at least that long
                wait = max(wait, exc.retry_after)
        row.retry_at = now + timedelta(seconds=wait)


def _paced(rt: Runtime, stream: str) -> bool:
    """Whether the platform's last rate-limit answers ask to wait before reading this stream again (X: what
    is left of the window spread evenly until its reset), whatever the channel's interval."""
    return isinstance(rt.connector, PacesReads) and rt.connector.wait_before(stream) > 0


def _open_page(
    engine: Engine,
    rt: Runtime,
    stream: str,
    report: StreamReport,
    now: datetime,
    worker: Worker,
    first_page: bool,
) -> tuple[int, int, str | None] | None:
    """Lease the stream and read its cursor: (channel id, cursor id, position), or None to stop polling
    (a poll's first page also waits, quietly, while the platform's rate limit asks to)."""
    with Session(engine) as session, session.begin():
        channel = store.ensure_channel(session, rt.name, rt.config.platform, rt.config.account)
        if channel.listening_paused_at is not None:  # stand-by (inbox.ingest.standby)
            report.skipped = f"listening paused by {channel.listening_paused_by}"
            return None
        cursor = store.cursor_row(session, channel.id or 0, stream)
        if first_page and _paced(rt, stream):
            return None
        if cursor.retry_at is not None and cursor.retry_at > now:
            waiting = f"waiting until {cursor.retry_at:%H:%M:%S} UTC: {cursor.last_error}"
            report.skipped = report.skipped or rt.redact(waiting)
            return None
        dead = cursor.lease_owner if worker.owner_is_dead(cursor.lease_owner) else None
        if not store.claim_lease(session, cursor.id or 0, worker.owner, now, worker.lease, dead_owner=dead):
            report.skipped = f"polled by another worker ({cursor.lease_owner})"
            return None
        report.skipped = read_budget.check(session, channel, rt, now)
        held = read_budget.spread(channel, rt, stream, now) if first_page and not report.skipped else None
        cursor.held_until = held[0] if held else None  # shown on the Channels page as the next try
        if held:
            report.skipped = held[1]
        if report.skipped:  # not read now: the lease goes back at once (this worker or another polls next)
            store.release_lease(session, cursor.id or 0, worker.owner)
            return None
        return channel.id or 0, cursor.id or 0, cursor.cursor


def _release(engine: Engine, cursor_id: int, worker: Worker) -> None:
    with Session(engine) as session, session.begin():
        store.release_lease(session, cursor_id, worker.owner)


def _store_page(
    engine: Engine,
    channel_id: int,
    stream: str,
    position: str | None,
    batch: Batch,
    clock: Clock,
    due: DuePolicy,
    classifier: Classifier | None,
    worker: Worker,
) -> IngestResult | None:
    """Store one page with its cursor, unless another worker moved the cursor since we read (None)."""
    with Session(engine) as session, session.begin():
        cursor = store.cursor_row(session, channel_id, stream, lock=True)
        if cursor.cursor != position or cursor.lease_owner != worker.owner:
            return None
        channel = session.get(Channel, channel_id)
        assert channel is not None
        return ingest_batch(session, channel, stream, batch, due=due, now=clock(), classifier=classifier)


def _fetch(rt: Runtime, stream: str, position: str | None) -> Batch:
    """One page; anything but a ConnectorError (a page the connector could not make sense of) becomes
    ``BadPayload``, so the stream backs off instead of the listener stopping."""
    try:
        return rt.connector.fetch(stream, position)
    except ConnectorError:
        raise
    except Exception as exc:  # noqa: BLE001 - a page-level problem is the stream's error, never a crash
        log.warning("%s/%s: the page could not be read", rt.name, stream, exc_info=True)
        raise BadPayload(f"the page could not be read ({type(exc).__name__}: {exc})") from exc


def poll_stream(
    engine: Engine,
    rt: Runtime,
    stream: str,
    *,
    clock: Clock,
    due: DuePolicy,
    classifier: Classifier | None = None,
    max_pages: int = MAX_PAGES_PER_POLL,
    worker: Worker | None = None,
) -> StreamReport:
    """Read one stream until it has nothing more (or ``max_pages``), committing page by page.

    The stream is leased to ``worker`` (the listener's; None: this process, from the settings now) while it
    polls, and each page is committed only if the cursor is still where this worker read it, so two
    workers never store a page twice.
    """
    worker = worker or Worker.from_settings()
    report = StreamReport(rt.name, stream)
    cursor_id: int | None = None
    try:
        for page in range(max_pages):
            opened = _open_page(engine, rt, stream, report, clock(), worker, first_page=page == 0)
            if opened is None:
                break
            channel_id, cursor_id, position = opened
            try:
                batch = seal_batch(_fetch(rt, stream, position))
            except ConnectorError as exc:
                error = rt.redact(f"{type(exc).__name__}: {exc}")
                _record_failure(engine, channel_id, stream, exc, clock(), error)
                report.error, report.fatal = error, not exc.retryable
                break
            store_page = partial(
                _store_page, engine, channel_id, stream, position, batch, clock, due, classifier, worker
            )
            result = store_retrying(store_page, f"{rt.name}/{stream}")
            if result is None:
                report.skipped = "another worker moved the cursor; page dropped"
                break
            report.pages += 1
            report.new += result.new
            report.duplicates += result.duplicates
            report.outbound += result.outbound
            report.quarantined += result.quarantined
            report.edited += result.edited
            if not batch.more:
                break
    finally:
        if cursor_id is not None:
            _release(engine, cursor_id, worker)
    return report


def poll_channel(
    engine: Engine,
    rt: Runtime,
    *,
    clock: Clock,
    due: DuePolicy,
    classifier: Classifier | None = None,
    worker: Worker | None = None,
) -> list[StreamReport]:
    """Every stream of one channel; a failure on one stream does not stop the next, even one that is not
    the platform's (logged with its traceback and reported as fatal, so ``inbox listen --once`` exits 2;
    that stream is read again at the next poll)."""
    worker = worker or Worker.from_settings()
    reports = []
    for stream in rt.connector.streams:
        try:
            reports.append(
                poll_stream(engine, rt, stream, clock=clock, due=due, classifier=classifier, worker=worker)
            )
        except Exception as exc:  # noqa: BLE001 - the channel's other streams are still read
            log.exception("%s/%s: poll failed", rt.name, stream)
            error = rt.redact(f"{type(exc).__name__}: {exc}")
            reports.append(StreamReport(rt.name, stream, error=error, fatal=True))  # a person must look
    return reports
