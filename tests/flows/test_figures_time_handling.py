"""Handling time (DMT) at time's edges, by hand from docs/kpis.md: for each reply queued in the period, from
the latest of the agent's last opening of the conversation, their own previous reply in it (when sent) and
the customer's last message (all before the reply) to its sending (queueing), on the wall clock (the
autumn's repeated hour lived in full); a reply with no opening by that agent in the 8 hours before it is not
measured. Conversations parked (snoozed, pending) between the messages change nothing. Compared with the
dashboard's tables."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.desk.actions import set_status
from inbox.desk.snooze import snooze
from inbox.reports.period import parse_period
from inbox.reports.report import attainment_windows, live_report, period_report
from inbox.reports.tables import all_tables
from tests.support.hand_charter import SECOND, paris
from tests.support.hand_figures import (  # noqa: F401 (config: the fixture)
    cell,
    config_folder,
)
from tests.support.reports_seed import Story

START = paris(2026, 10, 25, 1, 0)  # an hour before the autumn change's repeated hour
PARIS = ZoneInfo("Europe/Paris")
RUN = iter(range(1_000_000))
STEP = st.tuples(
    st.sampled_from(["customer", "open", "reply", "park"]),
    st.integers(1, 5 * 3600),  # seconds after the previous step
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=2, max_size=10))
def test_handling_time_agrees_with_the_hand(
    engine: Engine, config: Path, steps: list[tuple[str, int]]
) -> None:
    charter = load_charter(config)
    name = f"x-handling-{next(RUN)}"
    at, customer, opened, replied = START, START, None, None
    handled: list[float] = []
    with Session(engine, expire_on_commit=False) as session, session.begin():
        story = Story(session, charter)
        story.channel(name, "x")
        agent = story.user(f"agent-{name}")
        conv = story.conversation(name, f"{name}-c")
        story.customer(conv, at)
        for kind, wait in steps:
            at += wait * SECOND
            if kind == "customer":
                story.customer(conv, at)
                customer = at
            elif kind == "open":
                story.view(conv, agent.name, at)
                opened = at
            elif kind == "park":
                snooze(session, conv, agent, at + timedelta(hours=1), at)
                set_status(session, conv, "pending", agent, at + SECOND)
                at += SECOND
            else:
                if opened is not None and at - opened <= timedelta(hours=8):
                    began = max(t for t in (opened, replied, customer) if t is not None)
                    handled.append((at - began).total_seconds() / 60)
                story.reply(conv, agent.name, at, at + SECOND)  # sent (queued) at, delivered a second later
                replied = at
                at += SECOND
    with Session(engine) as session:
        first, last = (t.astimezone(PARIS).date() for t in (START, at))
        period = parse_period(f"{first}..{last}", at, PARIS)
        shown = all_tables(
            period_report(session, charter, period, at + SECOND, name),
            live_report(session, charter, at, name),
            attainment_windows(session, charter, at, name),
        )
    row: dict[str, Any] = next(
        (r for r in shown["agents"].records() if r["agent"] == agent.name),
        {"replies_measured": 0, "handling_median_min": None},
    )
    kpis = next(r for r in shown["contact_kpis"].records() if r["channel"] == r["kind"] == "all")
    assert (row["replies_measured"], cell(str(row["handling_median_min"]))) == (
        len(handled),
        f"{round(median(handled), 1)}" if handled else "—",
    )
    assert cell(str(kpis["dmt_mean_min"])) == (f"{round(sum(handled) / len(handled), 1)}" if handled else "—")
