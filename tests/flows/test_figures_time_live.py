"""The live figures at time's edges: waiting, at risk and breached now, worked out by hand from docs/kpis.md
(the share of the target elapsed on its clock, business hours across the DST changes, holidays and the night
shift of ``tests.support.hand_figures``'s charter), against the dashboard's live tables."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.reports.period import parse_period
from inbox.reports.report import attainment_windows, live_report, period_report
from inbox.reports.tables import all_tables
from tests.flows.test_figures_time_random import EDGES
from tests.support.hand_charter import SECOND, HandCharter
from tests.support.hand_figures import (  # noqa: F401 (config: the fixture)
    config_folder,
)
from tests.support.reports_seed import Story

AT_RISK = 0.75  # the charter's escalation.at_risk_fraction
RUN = iter(range(1_000_000))

WAITING = st.fixed_dictionaries(
    {
        "offset": st.integers(0, 3 * 3600),
        "private": st.booleans(),
        "critical": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edge=st.sampled_from(EDGES),
    waiting=st.lists(WAITING, min_size=1, max_size=5),
    share=st.floats(0.5, 1.3),
    chosen=st.integers(0, 4),
)
def test_at_risk_and_breached_now_agree_with_the_hand(
    engine: Engine,
    config: Path,
    edge: datetime,
    waiting: list[dict[str, Any]],
    share: float,
    chosen: int,
) -> None:
    """``now`` is when ``share`` of one conversation's target has run on its clock (or just after the last
    arrival); by hand, at risk from 75 % of the target on its clock, breached past the due time."""
    charter = load_charter(config)
    hand = HandCharter(tomllib.loads((config / "charter.toml").read_text(encoding="utf-8")))
    name = f"x-live-{next(RUN)}"
    arrivals = []
    with Session(engine, expire_on_commit=False) as session, session.begin():
        story = Story(session, charter)
        story.channel(name, "x")
        for n, w in enumerate(waiting):
            at = edge + w["offset"] * SECOND
            visibility = "private" if w["private"] else "public"
            story.customer(
                story.conversation(name, f"{name}-{n}", visibility),
                at,
                urgency="critical" if w["critical"] else "normal",
            )
            arrivals.append((at, visibility, "critical" if w["critical"] else None))
    at, visibility, urgency = arrivals[chosen % len(arrivals)]
    minutes, clock = hand.target(visibility, urgency)
    now = max(hand.due(at, share * minutes, clock), max(a for a, _, _ in arrivals) + SECOND)
    at_risk = breached = 0
    for at, visibility, urgency in arrivals:
        minutes, clock = hand.target(visibility, urgency)
        due = hand.due(at, minutes, clock)
        elapsed = (
            hand.business_minutes(at, now) if clock == "business_hours" else (now - at).total_seconds() / 60
        )
        if now > due:
            breached += 1
        elif elapsed >= AT_RISK * minutes:
            at_risk += 1
    with Session(engine) as session:
        live = live_report(session, charter, now, name)
        shown = all_tables(
            period_report(session, charter, parse_period("today", now, hand.zone), now, name),
            live,
            attainment_windows(session, charter, now, name),
        )
    summary = {row["kpi"]: row["value"] for row in shown["summary"].records()}
    assert (summary["waiting_now"], summary["at_risk_now"], summary["breached_now"]) == (
        len(arrivals),
        at_risk,
        breached,
    )
