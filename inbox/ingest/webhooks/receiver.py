"""The webhook receiver's work, without HTTP: store a verified event raw, then ingest it like a polled page.

- ``store`` commits the raw event (``pending``) in its own transaction: it is what the 200 acknowledges.
- ``process`` parses it with the channel's connector and calls ``ingest_batch`` on stream ``webhook`` with
  ``next_cursor`` None (polling cursors are never touched), marking it ``done``: its good items stored, its
  bad ones quarantined with their error (``connectors.boundary``). An exception (the database, a lookup
  the platform refused) marks it ``failed`` with its redacted error, in a second transaction, and the event
  stays for ``replay_pending``.
- A ``failed`` delivery status (WhatsApp) turns the outbox reply it names into ``failed`` with the error.
- A deletion the platform reports (Facebook's ``remove`` verb) erases the stored item (``ingest.deletions``).
- A message that arrives by webhook and again by polling is stored once: ingestion is idempotent on
  (channel, platform id). A late delivery of a message erased at the customer's request is dropped, and
  the event keeps no body (``{}``). Events of one channel are ingested one at a time (a lock per channel).
- A channel whose listening is on stand-by (``inbox.ingest.standby``) has its events stored and held
  (``pending``, never failed): ``release_held`` ingests them once it is resumed (the app runs it every
  ``release_every`` seconds; ``replay_pending`` too).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.boundary import seal_batch
from connectors.capabilities import (
    ReceivesWebhooks,
    ReportsDeletions,
    ReportsDeliveryFailures,
    ReportsMovedCustomers,
)
from inbox import bank_data
from inbox.charter.deadlines import DuePolicy
from inbox.ingest.channels import Runtime
from inbox.ingest.collisions import store_retrying
from inbox.ingest.deletions import honour_deletions
from inbox.ingest.moves import follow_moves
from inbox.ingest.page import Classifier, conversation_due, ingest_batch
from inbox.ingest.webhooks.deliveries import mark_failed
from inbox.store import records as inbox_store
from inbox.store.erasure_lock import hold_erasures, write_lock
from inbox.store.tables import Channel
from inbox.store.tables.webhook_events import DONE, FAILED, PENDING, WebhookEvent

log = logging.getLogger("inbox.ingest.webhooks")
STREAM = "webhook"
DROPPED_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})  # never stored
HELD_GRACE = timedelta(seconds=2)  # a pending event younger than this is being ingested by its own request
MAX_ATTEMPTS = 10  # a failed event is retried this many times in all, then left for a person
Clock = Callable[[], datetime]


def accepts_webhooks(connector: object) -> bool:
    """Whether a connector receives webhooks (``connectors.capabilities.ReceivesWebhooks``)."""
    return isinstance(connector, ReceivesWebhooks)


@dataclass(frozen=True, slots=True)
class ReplayReport:
    done: int
    failed: int


class Receiver:
    """Stores and ingests webhook events for the channels whose connector accepts webhooks."""

    def __init__(
        self,
        engine: Engine,
        runtimes: Sequence[Runtime],
        *,
        due: DuePolicy,
        clock: Clock,
        classifier: Classifier | None = None,
    ) -> None:
        self.engine, self.due, self.clock, self.classifier = engine, due, clock, classifier
        self.channels: dict[str, Runtime] = {rt.name: rt for rt in runtimes if accepts_webhooks(rt.connector)}
        self._locks = {name: threading.Lock() for name in self.channels}

    def runtime(self, name: str) -> Runtime | None:
        return self.channels.get(name)

    def store(self, name: str, headers: Mapping[str, str], body: bytes) -> int:
        """Commit the raw event of channel ``name``; returns its id."""
        rt = self.channels[name]
        kept = {k.lower(): v for k, v in headers.items() if k.lower() not in DROPPED_HEADERS}
        with Session(self.engine) as session, session.begin():
            channel = inbox_store.ensure_channel(session, rt.name, rt.config.platform, rt.config.account)
            masked = bank_data.mask_body(body)  # bank data never stored in clear
            event = WebhookEvent(
                channel_id=channel.id or 0, received_at=self.clock(), headers=kept, body=masked
            )
            session.add(event)
            session.flush()
            return event.id or 0

    def process(self, event_id: int) -> str:
        """Ingest one stored event; returns its new status (``done`` or ``failed``)."""
        with Session(self.engine) as session:
            event = session.get(WebhookEvent, event_id)
            channel = session.get(Channel, event.channel_id) if event else None
            name = channel.name if channel else None
        if event is None or name is None:
            raise KeyError(f"no webhook event {event_id}")
        if event.status == DONE:
            return DONE
        rt = self.channels.get(name)
        if rt is None:
            return self._fail(event_id, f"channel {name!r} is not configured for webhooks any more")
        if channel is not None and channel.listening_paused_at is not None:
            return PENDING  # held while on stand-by: released once listening resumes
        with self._locks[name]:
            try:  # another writer (the outbox, a poller) may store one of these messages meanwhile
                return store_retrying(partial(self._ingest, event_id, rt), f"{name} webhook event {event_id}")
            except Exception as exc:  # noqa: BLE001 - the raw event is kept with its error and replayed
                error = rt.redact(f"{type(exc).__name__}: {exc}")
                log.warning("webhook event %s of %s failed: %s", event_id, name, error)
                return self._fail(event_id, error)

    def _ingest(self, event_id: int, rt: Runtime) -> str:
        with Session(self.engine) as session, session.begin():
            hold_erasures(session)  # before the event's row lock: an erasure under way may delete the event
            write_lock(session)  # SQLite: the event read below stays as read until this commits
            event = session.get(WebhookEvent, event_id, with_for_update=True)
            if event is None or event.status == DONE:  # gone: an erasure deleted it (it named them)
                return DONE
            assert isinstance(rt.connector, ReceivesWebhooks)  # self.channels holds webhook channels only
            batch = seal_batch(rt.connector.parse_webhook(event.body))
            channel = session.get(Channel, event.channel_id)
            assert channel is not None
            now = self.clock()
            result = ingest_batch(
                session, channel, STREAM, batch, due=self.due, now=now, classifier=self.classifier
            )
            if isinstance(rt.connector, ReportsDeliveryFailures):
                mark_failed(session, channel.id or 0, rt.connector.delivery_failures(event.body), now)
            if isinstance(rt.connector, ReportsMovedCustomers):  # after the items written from the old id
                moved = rt.connector.moved_customers(event.body)
                due_for = conversation_due(session, self.due, channel)
                follow_moves(session, channel.id or 0, moved, now, due_for)
            if isinstance(rt.connector, ReportsDeletions):  # after the items: an add and its remove at once
                honour_deletions(
                    session, channel.id or 0, rt.connector.deletions(event.body), now, event_id=event_id
                )
            event.status, event.error, event.processed_at = DONE, None, now
            event.attempts += 1
            event.items = result.new
            if result.erased:  # a late delivery of erased messages: their words are not kept here either
                event.body = b"{}"
            return DONE

    def _fail(self, event_id: int, error: str) -> str:
        with Session(self.engine) as session, session.begin():
            event = session.get(WebhookEvent, event_id)
            assert event is not None
            event.status, event.error, event.processed_at = FAILED, error, self.clock()
            event.attempts += 1
        return FAILED

    def pending_ids(
        self, statuses: tuple[str, ...] = (PENDING, FAILED), before: datetime | None = None
    ) -> list[int]:
        """Events stored but not ingested (a crash in between, a stand-by) or failed, oldest first; never
        those of a channel whose listening is paused."""
        with Session(self.engine) as session:
            stmt = (
                select(WebhookEvent.id)
                .join(Channel, col(Channel.id) == col(WebhookEvent.channel_id))
                .where(col(WebhookEvent.status).in_(statuses), WebhookEvent.attempts < MAX_ATTEMPTS)
                .where(col(Channel.listening_paused_at).is_(None))
                .order_by(col(WebhookEvent.received_at), col(WebhookEvent.id))
            )
            if before is not None:
                stmt = stmt.where(col(WebhookEvent.received_at) < before)
            return [i for i in session.exec(stmt) if i is not None]

    def release_held(self, grace: timedelta = HELD_GRACE) -> int:
        """Ingest the pending events of channels whose listening runs (again), stored more than ``grace``
        ago (a newer one is being ingested right now); how many were ingested."""
        ids = self.pending_ids((PENDING,), before=self.clock() - grace)
        return sum(1 for event_id in ids if self.process(event_id) == DONE)

    def replay_pending(self) -> ReplayReport:
        """Ingest again every pending or failed event (on start, and ``inbox webhooks --replay-pending``)."""
        done = failed = 0
        for event_id in self.pending_ids():
            if self.process(event_id) == DONE:
                done += 1
            else:
                failed += 1
        return ReplayReport(done, failed)
