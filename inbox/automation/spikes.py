"""Spike alerts: each automation tick compares the inbound rate of every channel and listening query with
its usual level for that hour of the week (``spike_rule``): ONE alert per spike to the escalation webhook.

Scopes: a channel counts the customer messages written to the brand (mentions, replies, comments, private
messages); each listening query counts the posts its search stream found (``message.stream``). Counts go by
the messages' own times. A spike is a ``traffic_spike`` row whose unique ``open_key`` holds the scope while it
lasts, so two listeners can never open it twice; it is alerted when it opens (the top messages: most urgent,
then newest) and closed when the count falls under half its level, silently, keeping only its figures (the
customers' words quoted in its alert are not kept past the spike; an erasure empties an open one's). Only then
can a new spike of that scope alert again. A failed post is retried on retryable errors while the spike lasts
(at most ``MAX_ATTEMPTS``); a post cut short by a crash is not repeated.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, func, select

from inbox.automation.escalation import AlertSender, try_post
from inbox.automation.spike_rule import Usual, alert_level, is_over, past_hours, recent, usual
from inbox.automation.spike_text import Scope, TopMessage, spike_payload
from inbox.charter.flow import Spikes
from inbox.charter.model import Charter
from inbox.i18n import use_language
from inbox.ingest.threads import URGENCY_ORDER
from inbox.settings import conversation_link
from inbox.store import records as store
from inbox.store.tables import Channel, Contact, ListeningCursor, Message, TrafficSpike

log = logging.getLogger("inbox.automation.spikes")
SEARCH = "search:"
LISTENING = "listening"
MAX_ATTEMPTS = 3
PER_CONVERSATION = 4  # messages read per quoted line, so that one chatty conversation does not fill them all


@dataclass
class SpikeReport:
    opened: int = 0
    closed: int = 0
    sent: int = 0
    failed: int = 0


def _scopes(session: Session) -> dict[str, tuple[int, Scope]]:
    """Every channel and every listening query the listener reads: scope key -> (channel id, scope)."""
    names = {c.id: c.name for c in session.exec(select(Channel)) if c.id is not None}
    found = {Scope(name).key: (cid, Scope(name)) for cid, name in names.items()}
    streams = session.exec(
        select(ListeningCursor.channel_id, ListeningCursor.stream).where(
            col(ListeningCursor.stream).startswith(SEARCH)
        )
    )
    for cid, stream in streams:
        if cid in names:
            scope = Scope(names[cid], stream[len(SEARCH) :])
            found[scope.key] = (cid, scope)
    return found


def _counts(session: Session, start: datetime, end: datetime, names: Mapping[int, str]) -> dict[str, int]:
    """Inbound messages written in (start, end], per scope key."""
    rows = session.exec(
        select(Message.channel_id, Message.kind, Message.stream, func.count())
        .where(Message.direction == "in", col(Message.created_at) > start, col(Message.created_at) <= end)
        .group_by(col(Message.channel_id), col(Message.kind), col(Message.stream))
    )
    out: dict[str, int] = defaultdict(int)
    for cid, kind, stream, n in rows:
        if cid not in names:
            continue
        if kind != LISTENING:
            out[Scope(names[cid]).key] += n
        elif stream and stream.startswith(SEARCH):
            out[Scope(names[cid], stream[len(SEARCH) :]).key] += n
    return out


def _usual(
    session: Session, now: datetime, policy: Spikes, window: timedelta, names: Mapping[int, str]
) -> Callable[[str], Usual]:
    """The usual level per scope key: the past weeks' same hour (those after the first stored message), or
    before a first week, the rate of the last ``recent_hours`` before the window."""
    first = session.exec(select(func.min(Message.created_at))).one()
    if first is None:
        return lambda key: Usual(0.0, 0.0, 0)
    hours = [(s, e) for s, e in past_hours(now, policy.weeks) if e > first]
    if hours:
        counts = [_counts(session, s, e, names) for s, e in hours]
        return lambda key: usual([c.get(key, 0) for c in counts], window)
    end = now - window
    start = max(first - timedelta(microseconds=1), end - timedelta(hours=policy.recent_hours))
    before = _counts(session, start, end, names)
    return lambda key: recent(before.get(key, 0), end - start, window)


def _top(
    session: Session, cid: int, scope: Scope, start: datetime, end: datetime, n: int
) -> list[TopMessage]:
    """The ``n`` most urgent conversations of the window, each by its most urgent (then latest) message."""
    stmt = (
        select(Message, Contact.display_name)
        .outerjoin(Contact, col(Contact.id) == col(Message.contact_id))
        .where(
            Message.channel_id == cid,
            Message.direction == "in",
            col(Message.created_at) > start,
            col(Message.created_at) <= end,
        )
    )
    if scope.query is None:
        stmt = stmt.where(Message.kind != LISTENING)
    else:
        stmt = stmt.where(Message.kind == LISTENING, Message.stream == SEARCH + scope.query)
    rank = case(URGENCY_ORDER, value=col(Message.urgency), else_=1)
    order = (rank.desc(), col(Message.created_at).desc())
    rows = session.exec(stmt.order_by(*order).limit(n * PER_CONVERSATION))
    top: dict[int, TopMessage] = {}
    for m, name in rows:
        c = m.conversation_id
        if c not in top and len(top) < n:
            top[c] = TopMessage(c, m.author_handle, name, m.text, m.urgency, conversation_link(c))
    return list(top.values())


def open_spikes(session: Session) -> dict[str, TrafficSpike]:
    rows = session.exec(select(TrafficSpike).where(col(TrafficSpike.open_key).is_not(None)))
    return {r.scope: r for r in rows}


def claim(engine: Engine, scope: str, payload: dict[str, Any], now: datetime, **figures: Any) -> int | None:
    """Open the scope's spike (its alert about to be posted); None when it is already open."""
    try:
        with Session(engine) as session, session.begin():
            row = TrafficSpike(
                scope=scope, open_key=scope, opened_at=now, alert_attempts=1, payload=payload, **figures
            )
            session.add(row)
            session.flush()
            store.audit(
                session, "automation", "spike.started", target=("spike", scope), detail=figures, at=now
            )
            return row.id
    except (IntegrityError, OperationalError):
        return None


def figures_only(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An alert's structured figures without the customers' words (the text, the quoted messages)."""
    spike = {k: v for k, v in (payload.get("spike") or {}).items() if k != "messages"}
    return {"spike": spike} if spike else {}


def close(engine: Engine, spike_id: int, now: datetime) -> bool:
    """End an open spike; False when another listener ended it first."""
    with Session(engine) as session, session.begin():
        done = session.execute(
            update(TrafficSpike)
            .where(col(TrafficSpike.id) == spike_id, col(TrafficSpike.closed_at).is_(None))
            .values(closed_at=now, open_key=None)
        )
        won = bool(done.rowcount == 1)  # type: ignore[attr-defined]
        if won:
            row = session.get(TrafficSpike, spike_id)
            assert row is not None
            row.payload = figures_only(row.payload)  # its customers' words are not kept past the spike
            store.audit(session, "automation", "spike.ended", target=("spike", row.scope), at=now)
        return won


def post(
    engine: Engine,
    spike_id: int,
    payload: Mapping[str, Any],
    sender: AlertSender,
    now: datetime,
    *,
    field: str = "alert_status",
    retry: bool = True,
) -> bool:
    """Post one alert of a spike and record the outcome in ``field``; True when delivered."""
    error = try_post(sender, payload)
    with Session(engine) as session, session.begin():
        row = session.get(TrafficSpike, spike_id)
        assert row is not None
        if error is None:
            setattr(row, field, "sent")
            row.alert_sent_at = row.alert_sent_at or now
            return True
        row.alert_error = f"{type(error).__name__}: {error}"
        again = retry and error.retryable and row.alert_attempts < MAX_ATTEMPTS
        setattr(row, field, "pending" if again else "failed")
        log.warning("spike alert for %s failed: %s", row.scope, row.alert_error)
        return False


def _retry(engine: Engine, row: TrafficSpike, sender: AlertSender, now: datetime) -> bool | None:
    """Post again a pending alert of an open spike (one listener wins it); None when another took it."""
    with Session(engine) as session, session.begin():
        won = session.execute(
            update(TrafficSpike)
            .where(col(TrafficSpike.id) == row.id, col(TrafficSpike.alert_status) == "pending")
            .values(alert_status="sending", alert_attempts=TrafficSpike.alert_attempts + 1)
        )
        if won.rowcount != 1:  # type: ignore[attr-defined]
            return None
    return post(engine, row.id or 0, row.payload, sender, now)


def tally(report: SpikeReport, delivered: bool | None) -> None:
    if delivered is True:
        report.sent += 1
    elif delivered is False:
        report.failed += 1


def watch(engine: Engine, charter: Charter, sender: AlertSender, now: datetime) -> SpikeReport:
    """One tick of spike watching: open (and alert), retry or close each scope's spike."""
    policy, report = charter.spikes, SpikeReport()
    if not policy.enabled:
        return report
    window = timedelta(minutes=policy.window_minutes)
    with Session(engine) as session:
        scopes = _scopes(session)
        names = {cid: scope.channel for cid, scope in scopes.values() if scope.query is None}
        counts = _counts(session, now - window, now, names)
        base = _usual(session, now, policy, window, names)
        spikes = open_spikes(session)
    for key, (cid, scope) in sorted(scopes.items()):
        count, spike = counts.get(key, 0), spikes.get(key)
        usual_here: Usual = base(key)
        level = alert_level(usual_here, policy)
        if spike is not None:
            if is_over(count, spike.threshold, level):
                report.closed += close(engine, spike.id or 0, now)
            elif spike.alert_status == "pending" and spike.payload.get("text"):  # not emptied by an erasure
                tally(report, _retry(engine, spike, sender, now))
            continue
        if count < level:
            continue
        with Session(engine) as session:
            top = _top(session, cid, scope, now - window, now, policy.top_messages)
        with use_language(charter.ui.default_language):
            payload = spike_payload(scope, count, level, usual_here, window, top, now)
        figures = {"count": count, "threshold": level, "expected": round(usual_here.mean, 3)}
        spike_id = claim(engine, key, payload, now, **figures)
        if spike_id is None:
            continue
        report.opened += 1
        tally(report, post(engine, spike_id, payload, sender, now))
    return report
