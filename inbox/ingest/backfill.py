"""Backfill: read a channel's streams back to a point in time, page by page (``inbox backfill``).

Each page is classified in one batch (``nlp.pipe``; in a classifier process of its own while the previous
page is stored, so two cores work), stored in bulk by ``ingest_batch`` and committed with
the backfill's own cursor (stream ``backfill:<stream>``, leased like a listening stream), so a killed
backfill loses nothing and stores nothing twice, and the next run resumes from the last committed page.
Idempotent on (channel, platform id). The listener's own cursors are never touched.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import Batch, ConnectorError
from connectors.capabilities import Backfills
from inbox.backoff import backoff
from inbox.charter.deadlines import DuePolicy
from inbox.i18n import ngettext
from inbox.ingest.channels import Runtime
from inbox.ingest.leases import Worker
from inbox.ingest.page import Classifier, IngestResult, ingest_batch
from inbox.ingest.poll import ingest_counts
from inbox.nlp.process import ClassifierProcess, Preclassified
from inbox.nlp.types import Classification
from inbox.store import records as store
from inbox.store.tables import Channel

PREFIX = "backfill:"
RETRIES = 5
MAX_WAIT_SECONDS = 900.0  # the longest rate-limit wait obeyed
RETRY_BASE_SECONDS, RETRY_CAP_SECONDS = 2.0, 60.0  # 2 s, 4 s, 8 s, 16 s (inbox.backoff)
_SPAN = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}

Clock = Callable[[], datetime]


class BackfillError(Exception):
    """The backfill stopped (the platform refused, or kept failing): rerun to resume."""


def parse_since(spec: str) -> timedelta:
    """``7d``, ``24h`` or ``30m`` as a duration; ValueError otherwise."""
    match = _SPAN.match(spec)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"--since must be a positive number of days, hours or minutes (7d, 24h, 30m): {spec!r}"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


@dataclass
class StreamProgress:
    """What one stream's backfill has done so far; ``reached`` is the oldest item time seen."""

    stream: str
    since: datetime
    pages: int = 0
    new: int = 0
    duplicates: int = 0
    outbound: int = 0
    quarantined: int = 0
    reached: datetime | None = None
    resumed: bool = False
    done: bool = False

    def add(self, result: IngestResult, batch: Batch) -> None:
        self.pages += 1
        self.new += result.new
        self.duplicates += result.duplicates
        self.outbound += result.outbound
        self.quarantined += result.quarantined
        times = [i.created_at for i in batch.items]
        if times and (self.reached is None or min(times) < self.reached):
            self.reached = min(times)

    def line(self) -> str:
        counts = ingest_counts(self.new, self.outbound, self.duplicates, self.quarantined)
        if self.done:
            state = ngettext("done after {n} page", "done after {n} pages", self.pages)
        else:
            state = ngettext("stopped after {n} page", "stopped after {n} pages", self.pages)
        return f"{self.stream}: {state.format(n=self.pages)}: {counts}"


def backfill_streams(rt: Runtime) -> list[str]:
    """The streams of a channel that its connector can read back by time."""
    connector = rt.connector
    if not isinstance(connector, Backfills):
        return []
    probe = datetime.now(UTC)
    return [s for s in connector.streams if connector.history_cursor(s, probe) is not None]


def _start(
    engine: Engine, rt: Runtime, stream: str, since: datetime, now: datetime, worker: Worker
) -> tuple[int, str, bool]:
    """Lease the backfill cursor and return (channel id, position, resumed). An unfinished backfill of the
    stream is resumed where it stopped; otherwise a new one starts at ``since``."""
    with Session(engine) as session, session.begin():
        channel = store.ensure_channel(session, rt.name, rt.config.platform, rt.config.account)
        row = store.cursor_row(session, channel.id or 0, PREFIX + stream)
        # a backfill killed on this machine: take over now
        dead = row.lease_owner if worker.owner_is_dead(row.lease_owner) else None
        if not store.claim_lease(session, row.id or 0, worker.owner, now, worker.lease, dead_owner=dead):
            until = f"{row.lease_until:%H:%M:%S} UTC" if row.lease_until else "?"
            owner = f"{row.lease_owner}, lease until {until}"
            raise BackfillError(f"{stream}: another backfill of this channel is running ({owner})")
        resumed = row.cursor is not None
        if not resumed:
            start = (
                rt.connector.history_cursor(stream, since) if isinstance(rt.connector, Backfills) else None
            )
            if start is None:
                raise BackfillError(f"{stream}: this stream cannot be read back in time")
            row.cursor = start
        return channel.id or 0, row.cursor or "", resumed


def _fetch(rt: Runtime, stream: str, position: str, sleep: Callable[[float], None]) -> Batch:
    """One page, waiting out rate limits and retrying outages (up to ``RETRIES`` times)."""
    for attempt in range(1, RETRIES + 1):
        try:
            return rt.connector.fetch(stream, position)
        except ConnectorError as exc:
            if not exc.retryable or attempt == RETRIES:
                raise BackfillError(f"{stream}: {type(exc).__name__}: {exc}") from exc
            wait = exc.retry_after
            if wait is None:
                wait = backoff(attempt, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS)
            sleep(min(MAX_WAIT_SECONDS, wait))
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Page:
    """One fetched page, where it was read from, and its classification under way in the classifier
    process (None: classified in this process when stored)."""

    stream: str
    position: str
    batch: Batch
    labels: Future[list[Classification]] | None = None

    def inbound(self) -> tuple[list[str], list[int | None]]:
        items = [i for i in self.batch.items if i.direction == "in"]
        return [i.text for i in items], [i.author.followers for i in items]


def _read(
    rt: Runtime, stream: str, position: str, sleep: Callable[[float], None], ahead: ClassifierProcess | None
) -> _Page:
    """Fetch a page and hand its customer messages to the classifier process at once."""
    batch = _fetch(rt, stream, position, sleep)
    page = _Page(stream, position, batch)
    texts, followers = page.inbound()
    if ahead is None or not texts:
        return page
    return _Page(stream, position, batch, ahead.submit(texts, followers))


def _classifier_for(page: _Page, classifier: Classifier | None) -> Classifier | None:
    if page.labels is None:
        return classifier
    texts, followers = page.inbound()
    return Preclassified(texts, followers, page.labels.result())


def _commit_page(
    engine: Engine,
    channel_id: int,
    page: _Page,
    progress: StreamProgress,
    *,
    now: datetime,
    due: DuePolicy,
    classifier: Classifier | None,
    worker: Worker,
) -> str | None:
    """Store one page with the backfill cursor in one transaction; the next position (None when done)."""
    name = PREFIX + page.stream
    with Session(engine) as session, session.begin():
        row = store.cursor_row(session, channel_id, name, lock=True)
        if row.cursor != page.position or row.lease_owner != worker.owner:
            raise BackfillError(f"{page.stream}: another process moved the backfill cursor; stopped")
        channel = session.get(Channel, channel_id)
        assert channel is not None
        result = ingest_batch(session, channel, name, page.batch, due=due, now=now, classifier=classifier)
        nxt = row.cursor = page.batch.next_cursor if page.batch.more else None
        store.claim_lease(session, row.id or 0, worker.owner, now, worker.lease)  # renewed page by page
    progress.add(result, page.batch)
    return nxt


def backfill_stream(
    engine: Engine,
    rt: Runtime,
    stream: str,
    since: datetime,
    *,
    clock: Clock,
    due: DuePolicy,
    classifier: Classifier | None = None,
    on_page: Callable[[StreamProgress], None] = lambda _p: None,
    sleep: Callable[[float], None] = time.sleep,
    ahead: ClassifierProcess | None = None,
    worker: Worker | None = None,
) -> StreamProgress:
    """Read ``stream`` back to ``since``, committing page by page; resumes an unfinished backfill.

    The next page is read (in one helper thread) while this one is stored, and, given a classifier
    process (``ahead``), classified there meanwhile; it is stored only after this one is committed, from
    the cursor this one leaves. The backfill cursor is leased to ``worker`` (None: this process, from the
    settings now)."""
    worker = worker or Worker.from_settings()
    progress = StreamProgress(stream, since)
    channel_id, position, progress.resumed = _start(engine, rt, stream, since, clock(), worker)
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backfill-read") as reader:
            reading = reader.submit(_read, rt, stream, position, sleep, ahead)
            while True:
                page = reading.result()
                if page.batch.more and page.batch.next_cursor:
                    reading = reader.submit(_read, rt, stream, page.batch.next_cursor, sleep, ahead)
                labelled = _classifier_for(page, classifier)
                nxt = _commit_page(
                    engine,
                    channel_id,
                    page,
                    progress,
                    now=clock(),
                    due=due,
                    classifier=labelled,
                    worker=worker,
                )
                on_page(progress)
                if nxt is None:
                    progress.done = True
                    return progress
                position = nxt
    finally:
        with Session(engine) as session, session.begin():
            row = store.cursor_row(session, channel_id, PREFIX + stream)
            store.release_lease(session, row.id or 0, worker.owner)
