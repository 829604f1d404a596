"""The long-running listener: one thread per channel polls its streams on the channel's interval (and, every
ten minutes, asks the platform which recent customer items were deleted or edited: ``ingest.recheck``),
one thread drains the outbox (and follows at once a group move its replies learnt), one runs the charter's
automation. Stops cleanly when ``stop`` is set."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import DuePolicy
from inbox.ingest.channels import Runtime
from inbox.ingest.leases import Worker
from inbox.ingest.moves import follow_chat_moves, moves_answered_since
from inbox.ingest.page import Classifier, conversation_due
from inbox.ingest.poll import poll_channel
from inbox.ingest.recheck import Sweeper, sweep
from inbox.outbox import delivery as outbox
from inbox.store.tables import Channel

log = logging.getLogger("inbox.jobs.worker")
LOOK_BACK = timedelta(days=1)  # at start: replies delivered this long ago may have learnt a group's move
OVERLAP = timedelta(minutes=1)  # each look reads again the last minute: a delivery committing late is seen


def _channel_loop(
    engine: Engine,
    rt: Runtime,
    stop: threading.Event,
    clock: Callable[[], datetime],
    due: DuePolicy,
    classifier: Classifier | None,
    worker: Worker,
) -> None:
    sweeper = Sweeper()
    while not stop.is_set():
        try:
            reports = poll_channel(engine, rt, clock=clock, due=due, classifier=classifier, worker=worker)
            for report in reports:
                if report.new or report.edited or report.error or report.quarantined:
                    log.info(report.line())
            if sweeper.due(rt.name, clock()):
                swept = sweep(engine, rt, clock(), classifier, due=due)
                if swept.erased:
                    log.info("%s: %d item(s) deleted by the customer erased", rt.name, swept.erased)
                if swept.edited:
                    log.info("%s: %d item(s) edited by the customer updated", rt.name, swept.edited)
        except Exception:  # keep listening: one bad poll must not end the job
            log.exception("%s: poll failed", rt.name)
        stop.wait(rt.config.poll_interval_seconds)


def follow_answered_moves(
    engine: Engine, runtimes: Sequence[Runtime], due: DuePolicy, since: datetime, now: datetime
) -> int:
    """The group moves the outbox learnt from replies delivered since ``since`` (Telegram's answer to a reply
    sent to a group upgraded to a supergroup), followed at once on each Telegram channel: the members'
    conversations take the new chat, merged with one a member opened there meanwhile
    (``moves.follow_chat_moves``, audited); how many conversations moved."""
    moved = 0
    with Session(engine) as session, session.begin():
        for rt in runtimes:
            channel = session.exec(select(Channel).where(Channel.name == rt.name)).first()
            if channel is None or channel.id is None or channel.platform != "telegram":
                continue
            if found := moves_answered_since(session, channel.id, since):
                due_for = conversation_due(session, due, channel)
                moved += follow_chat_moves(session, channel.id, found, due_for, now)
    return moved


def _sender_loop(
    engine: Engine,
    runtimes: Sequence[Runtime],
    stop: threading.Event,
    clock: Callable[[], datetime],
    every: float,
    due: DuePolicy,
) -> None:
    connectors = {rt.name: rt.connector for rt in runtimes}
    since = clock() - LOOK_BACK  # moves learnt while the listener was down are followed too
    while not stop.is_set():
        try:
            started = clock()
            sent = outbox.drain(engine, connectors, clock)
            if sent:
                log.info("outbox: %d reply(ies) processed", sent)
            if moved := follow_answered_moves(engine, runtimes, due, since, clock()):
                log.info("outbox: %d conversation(s) followed their group to its supergroup", moved)
            since = started - OVERLAP
        except Exception:
            log.exception("outbox: drain failed")
        stop.wait(every)


def _automation_loop(
    stop: threading.Event, clock: Callable[[], datetime], automate: Callable[[datetime], object], every: float
) -> None:
    """The charter's automatic actions (automation.tick); own thread: a slow webhook holds up no reply."""
    while not stop.is_set():
        try:
            automate(clock())
        except Exception:
            log.exception("automation: tick failed")
        stop.wait(every)


def run(
    engine: Engine,
    runtimes: Sequence[Runtime],
    stop: threading.Event,
    *,
    clock: Callable[[], datetime],
    due: DuePolicy,
    classifier: Classifier | None = None,
    send_every: float = 2.0,
    automate: Callable[[datetime], object] | None = None,
    automate_every: float = 10.0,
    worker: Worker | None = None,
) -> None:
    """Listen and send until ``stop`` is set; streams are leased to ``worker`` (None: built from Settings)."""
    worker = worker or Worker.from_settings()
    threads = [
        threading.Thread(
            target=_channel_loop,
            args=(engine, rt, stop, clock, due, classifier, worker),
            daemon=True,
            name=f"listen-{rt.name}",
        )
        for rt in runtimes
    ]
    threads.append(
        threading.Thread(
            target=_sender_loop,
            args=(engine, runtimes, stop, clock, send_every, due),
            daemon=True,
            name="sender",
        )
    )
    if automate is not None:
        threads.append(
            threading.Thread(
                target=_automation_loop,
                args=(stop, clock, automate, automate_every),
                daemon=True,
                name="automation",
            )
        )
    for t in threads:
        t.start()
    for t in threads:
        t.join()
