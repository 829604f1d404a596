"""Every next-response clock the queue runs, the report judges alike (docs/kpis.md, "Every charter target"):
random histories of customer messages, a person's answers and resolutions (Hypothesis), written the way
ingestion, the outbox and the desk write them; the queue's clocks are read off the conversation after each
event, and ``inbox report``'s next-response counts must be the ones those clocks give by hand: a clock
answered by its due time met, answered later missed, still running waiting or missed, ended by a
resolution not judged.

Found so: a first message resolved unanswered, then answered by a person with nothing waiting, then the
customer writes again: the queue runs a next-response clock, but the report took it for the first
response's span and never judged it.

Report seed's charter: public 60 minutes 24/7. Wednesday 4 March 2026, times UTC.
"""

from __future__ import annotations

import itertools
import tomllib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.fields import Metric
from inbox.charter.model import parse_charter
from inbox.reports.period import Period
from inbox.reports.report import period_report
from inbox.reports.targets_kpis import by_metric
from inbox.store.tables import Conversation
from tests.support.reports_seed import CHARTER_TOML, Story

START = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 4, 21, 0, tzinfo=UTC)
DAY = Period("2026-03-04", NOW.date(), NOW.date(), ZoneInfo("Europe/Paris"))
CHARTER = parse_charter(tomllib.loads(CHARTER_TOML))
COUNTER = itertools.count()

STEP = st.tuples(st.sampled_from(["in", "out", "resolve"]), st.integers(min_value=1, max_value=80))


class QueueClocks:
    """The next-response clocks the queue ran, read off the conversation after each event."""

    def __init__(self) -> None:
        self.running: tuple[datetime, datetime] | None = None  # (started, due) of a next-response clock
        self.answered: list[tuple[datetime, datetime]] = []  # (answer, due) of each answered one

    def after(self, conv: Conversation, what: str, at: datetime) -> None:
        started = conv.clock_started_at
        if self.running is not None and started != self.running[0]:
            if what == "out":
                self.answered.append((at, self.running[1]))
            self.running = None  # else a resolution ended it: not judged
        if started is not None and conv.first_response_at is not None and self.running is None:
            assert conv.sla_due_at is not None
            self.running = (started, conv.sla_due_at)

    def by_hand(self) -> tuple[int, int, int]:
        met = sum(1 for answer, due in self.answered if answer <= due)
        missed = len(self.answered) - met
        if self.running is not None:
            late = NOW > self.running[1]
            return met, missed + late, int(not late)
        return met, missed, 0


def _first_by_hand(engine: Engine, name: str) -> tuple[int, int, int]:
    """The first response as the queue holds it: its answer against its due time; closed unanswered: not
    judged."""
    with Session(engine) as session:
        conv = session.exec(select(Conversation).where(Conversation.thread_key == f"t-ann-{name}")).one()
    answered, due = conv.first_response_at, conv.first_response_due_at
    assert due is not None
    if answered is None and conv.status == "resolved":
        return 0, 0, 0
    if answered is not None:
        return (1, 0, 0) if _utc(answered) <= _utc(due) else (0, 1, 0)
    return (0, 1, 0) if NOW > _utc(due) else (0, 0, 1)


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _story(engine: Engine, steps: list[tuple[str, int]]) -> tuple[str, QueueClocks]:
    name = f"x-next-{next(COUNTER)}"
    clocks = QueueClocks()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        s.channel(name, "x")
        s.user(f"alice-{name}")
        conv_id = s.conversation(name, f"ann-{name}")
        s.customer(conv_id, START)
        at = START
        for what, minutes in steps:
            at += timedelta(minutes=minutes)
            conv = session.get(Conversation, conv_id)
            assert conv is not None
            if what == "in":
                s.customer(conv_id, at)
            elif what == "out":
                s.reply(conv_id, f"alice-{name}", at, at)
            elif conv.status != "resolved":
                s.resolve(conv_id, f"alice-{name}", at)
            clocks.after(conv, what, at)
    return name, clocks


def _report(engine: Engine, name: str, metric: Metric = "next_response") -> tuple[int, int, int]:
    with Session(engine) as session:
        totals = by_metric(period_report(session, CHARTER, DAY, NOW, channel=name).targets)
    found = totals.get(metric)
    return (0, 0, 0) if found is None else (found.met, found.missed, found.waiting)


def test_a_next_clock_after_a_first_message_closed_unanswered_then_answered_is_judged(engine: Engine) -> None:
    """10:00 resolved unanswered at 10:05; a person answers at 10:10 with nothing waiting; the customer
    writes at 10:30: the queue runs a next-response clock due 11:30, unanswered at 21:00: missed."""
    name, clocks = _story(engine, [("resolve", 5), ("out", 5), ("in", 20)])
    assert clocks.running is not None and clocks.running[0] == START + timedelta(minutes=30)
    assert clocks.by_hand() == (0, 1, 0)
    assert _report(engine, name) == (0, 1, 0)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=9))
def test_the_report_judges_every_next_clock_the_queue_ran(
    engine: Engine, steps: list[tuple[str, int]]
) -> None:
    name, clocks = _story(engine, steps)
    assert _report(engine, name) == clocks.by_hand()
    assert _report(engine, name, "first_response") == _first_by_hand(engine, name)
