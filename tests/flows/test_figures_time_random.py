"""Random histories at time's edges (DST changes, French holidays, a night shift across midnight, messages
read out of order, answers at the due second, parked conversations, next responses): the figures the
independent recomputer of ``tests.support.hand_figures`` works out by hand from docs/kpis.md, the charter's
TOML and the stored events, against the dashboard's data functions (the tables ``inbox report`` prints).
"""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import CharterDue
from inbox.charter.model import Charter, load_charter
from inbox.desk.actions import set_status
from inbox.desk.snooze import snooze
from inbox.ingest.page import ingest_batch
from inbox.reports.period import parse_period
from inbox.reports.report import attainment_windows, live_report, period_report
from inbox.reports.tables import all_tables
from inbox.store.tables import Channel
from tests.support.hand_charter import SECOND, HandCharter, paris
from tests.support.hand_figures import (  # noqa: F401 (config: the fixture)
    _aware,
    cell,
    config_folder,
    customer_messages,
    hand_figures,
    recompute,
)
from tests.support.reports_seed import Story


def hand_hours(
    engine: Engine, hand: HandCharter, channel: str, first: date, last: date
) -> list[tuple[str, int]]:
    """Customer messages of the period per local clock hour (the autumn's repeated hour is one), hours without
    any left out."""
    with engine.connect() as db:
        walls = [_aware(at).astimezone(hand.zone) for _, at, _ in customer_messages(db, channel)]
        hours = [w.strftime("%Y-%m-%d %H:00") for w in walls if first <= w.date() <= last]
    return [(hour, hours.count(hour)) for hour in sorted(set(hours))]


# ---------------------------------------------------------------- random histories at time's edges


def stored_late(
    session: Session, charter: Charter, channel: Channel, handle: str, visibility: str, written: datetime
) -> None:
    """A customer message written at ``written``, read later by a page (a backfill, a page newest first)."""
    item = InboundItem(
        channel.name,
        f"late-{handle}",
        f"t-{handle}",
        "dm" if visibility == "private" else "mention",
        "private" if visibility == "private" else "public",
        "in",
        Author(f"u-{handle}", handle),
        "written before, read after",
        written,
    )
    page = Batch([item], next_cursor=None)
    ingest_batch(session, channel, "mentions", page, due=CharterDue(charter), now=NOW)


EDGES = [  # local Paris wall times near which the histories start (UTC below, so both autumn passes come)
    paris(2026, 10, 25, 1, 40),  # autumn change (03:00 -> 02:00), inside the Sunday night shift
    paris(2027, 3, 28, 1, 30),  # spring change (02:00 -> 03:00), inside it too
    paris(2027, 3, 26, 19, 10),  # Friday evening before Easter Monday (29 March 2027) and the spring change
    paris(2027, 4, 30, 19, 30),  # Friday evening before 1 May (a Saturday: its night shift closed)
    paris(2027, 7, 13, 19, 20),  # the eve of 14 July
    paris(2027, 8, 14, 21, 40),  # Saturday 14 August 21:40: 15 August is a Sunday holiday
    paris(2026, 12, 24, 19, 0),  # Christmas Eve evening, Christmas on Friday
    paris(2026, 10, 31, 23, 20),  # across midnight into All Saints' Day, then the charter's holiday
    paris(2026, 10, 28, 23, 10),  # 23:10 Paris = 22:10 UTC: which day?
]

CONVERSATION = st.fixed_dictionaries(
    {
        "edge": st.sampled_from(range(len(EDGES))),
        "offset": st.integers(0, 3 * 3600),  # seconds after the edge
        "private": st.booleans(),
        "critical": st.sampled_from(["first", "follow-up", "none"]),
        "fate": st.sampled_from(
            ["answered", "answered", "auto then answered", "unanswered", "resolved", "snoozed", "pending"]
        ),
        "after": st.integers(1, 4 * 24 * 3600),  # seconds to the answer or resolution
        "exactly_due": st.booleans(),  # answered at the hand's due time to the second
        "earlier": st.sampled_from([0, 0, 45, 20 * 60, 3 * 3600]),  # a message written before, stored after
        "again": st.sampled_from([None, None, 60, 3600, 2 * 24 * 3600]),  # writes again after the answer
        "again_after": st.sampled_from([None, 10, 20 * 60, 50 * 60, 3 * 3600, 3 * 24 * 3600]),
        "again_critical": st.booleans(),
        "resolve_after": st.sampled_from([None, None, 30 * 60, 4 * 3600, 2 * 24 * 3600]),  # after all else
    }
)
NOW = datetime(2027, 9, 1, tzinfo=UTC)
RUN = iter(range(1_000_000))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stories=st.lists(CONVERSATION, min_size=1, max_size=7))
def test_random_histories_at_the_edges_agree_with_the_hand(
    engine: Engine, config: Path, stories: list[dict[str, Any]]
) -> None:
    check_history(engine, config, stories)


def check_history(engine: Engine, config: Path, stories: list[dict[str, Any]]) -> None:
    """Write the conversations, recompute them by hand, compare with the dashboard's tables."""
    charter = load_charter(config)
    hand = HandCharter(tomllib.loads((config / "charter.toml").read_text(encoding="utf-8")))
    name = f"x-edge-{next(RUN)}"
    with Session(engine, expire_on_commit=False) as session, session.begin():
        story = Story(session, charter)
        story.channel(name, "x")
        agent = story.user(f"agent-{name}").name
        for n, c in enumerate(stories):
            at = EDGES[c["edge"]] + c["offset"] * SECOND
            visibility = "private" if c["private"] else "public"
            conv = story.conversation(name, f"{name}-{n}", visibility)
            story.customer(conv, at, urgency="critical" if c["critical"] == "first" else "normal")
            if c["critical"] == "follow-up":
                story.customer(conv, at + 30 * SECOND, urgency="critical")
            later = at + c["after"] * SECOND
            if c["exactly_due"]:
                minutes, clock = hand.target(visibility, "critical" if c["critical"] == "first" else None)
                later = hand.due(at, minutes, clock)
            if c["earlier"]:
                stored_late(
                    session,
                    charter,
                    story.channels[name],
                    f"{name}-{n}",
                    visibility,
                    at - c["earlier"] * SECOND,
                )
            if c["fate"] == "auto then answered":
                story.automatic(conv, at + SECOND)
            if c["fate"].endswith("answered") and c["fate"] != "unanswered":
                story.reply(conv, agent, later - SECOND, later)
                if c["again"]:
                    again = later + c["again"] * SECOND
                    story.customer(conv, again, urgency="critical" if c["again_critical"] else "normal")
                    if c["again_after"]:
                        answer = again + c["again_after"] * SECOND
                        story.reply(conv, agent, answer - SECOND, answer)
            elif c["fate"] == "resolved":
                story.resolve(conv, agent, later)
            elif c["fate"] == "snoozed":  # parked unanswered: still judged by its first response
                snooze(session, conv, story.users[agent], later + 3 * 24 * 3600 * SECOND, later)
            elif c["fate"] == "pending":
                set_status(session, conv, "pending", story.users[agent], later)
            if c["resolve_after"] and c["fate"] != "resolved":
                last = max(later, later + (c["again"] or 0) * SECOND + (c["again_after"] or 0) * SECOND)
                story.resolve(conv, agent, last + c["resolve_after"] * SECOND)
    judged = recompute(engine, config / "charter.toml", NOW, name)[1]
    days = sorted(j.arrived.astimezone(hand.zone).date() for j in judged)
    expected = hand_figures(hand, judged, days[0], days[-1])
    with Session(engine) as session:
        period = parse_period(f"{days[0]}..{days[-1]}", NOW, hand.zone)
        shown = all_tables(
            period_report(session, charter, period, NOW, name),
            live_report(session, charter, NOW, name),
            attainment_windows(session, charter, NOW, name),
        )
    summary = {row["kpi"]: row["value"] for row in shown["summary"].records()}
    assert [(r["hour"], r["messages"]) for r in shown["volume_by_hour"].records()] == hand_hours(
        engine, hand, name, days[0], days[-1]
    )
    goal = next(r for r in shown["service_goals"].records() if r["channel"] == "all")
    kpis = next(r for r in shown["contact_kpis"].records() if r["channel"] == r["kind"] == "all")
    targets = {
        r["metric"]: (r["met"], r["missed"], r["waiting"])
        for r in shown["charter_targets"].records()
        if r["channel"] == r["kind"] == "all"
    }
    assert {
        "resolution": targets.get("resolution", (0, 0, 0)),
        "dmc": cell(str(kpis["dmc_mean_min"])),
        "next": targets.get("next_response", (0, 0, 0)),
        "goal": (goal["within"], goal["late"], cell(str(goal["attainment_pct"]))),
        "business": (cell(str(kpis["frt_business_median_min"])), cell(str(kpis["frt_business_p90_min"]))),
        "by_day": {
            str(r["day"]): cell(str(r["attainment_pct"])) for r in shown["attainment_by_day"].records()
        },
        "attainment": cell(str(summary["sla_attainment_pct"])),
        "median": cell(str(summary["first_response_median_min"])),
        "p90": cell(str(summary["first_response_p90_min"])),
    } == expected
