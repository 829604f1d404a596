"""Hand histories at time's edges (the autumn night, a night shift across midnight, French and charter
holidays, a Friday evening answered on Monday, 23:30 Paris time), recomputed by
``tests.support.hand_figures`` from docs/kpis.md alone and compared with ``inbox report``'s CSV and the
dashboard's data functions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter
from inbox.reports.period import parse_period
from inbox.reports.report import attainment_windows, live_report, period_report
from inbox.reports.tables import all_tables, to_csv
from tests.support.hand_charter import MINUTE, paris
from tests.support.hand_figures import (  # noqa: F401 (config: the fixture)
    cell,
    config_folder,
    hand_figures,
    recompute,
    report_csv,
)
from tests.support.reports_seed import Story


def inbox_figures(period: str) -> dict[str, Any]:
    summary = {row["kpi"]: row["value"] for row in report_csv("summary", period)}
    days = report_csv("attainment_by_day", period)
    goal = next(r for r in report_csv("service_goals", period) if r["channel"] == "all")
    kpis = next(r for r in report_csv("contact_kpis", period) if r["channel"] == r["kind"] == "all")
    targets = {
        r["metric"]: tuple(int(r[k]) for k in ("met", "missed", "waiting"))
        for r in report_csv("charter_targets", period)
        if r["channel"] == r["kind"] == "all"
    }
    return {
        "resolution": targets.get("resolution", (0, 0, 0)),
        "dmc": cell(kpis["dmc_mean_min"]),
        "next": targets.get("next_response", (0, 0, 0)),
        "goal": (int(goal["within"]), int(goal["late"]), cell(goal["attainment_pct"])),
        "business": (cell(kpis["frt_business_median_min"]), cell(kpis["frt_business_p90_min"])),
        "by_day": {row["day"]: cell(row["attainment_pct"]) for row in days},
        "attainment": cell(summary["sla_attainment_pct"]),
        "median": cell(summary["first_response_median_min"]),
        "p90": cell(summary["first_response_p90_min"]),
    }


def test_autumn_night_holidays_and_weekend(engine: Engine, config: Path) -> None:
    """Conversations at time's edges, each answered after a known wait; the hand's figures and the inbox's."""
    charter = load_charter(config)
    stories = [
        # (arrival, answer after, visibility, urgency)
        # 02:30 summer time, between the night's shifts until the first 02:45, then open without a break
        # through the hour lived twice: due at the second 02:45, answered at the second 02:50 (missed)
        (paris(2026, 10, 25, 2, 30), 80, "public", "normal"),
        (paris(2026, 10, 25, 2, 30, fold=1), 50, "public", "normal"),  # 02:30 winter time, an hour later
        (paris(2026, 10, 25, 5, 30), 90, "public", "normal"),  # 30 min left on Sunday, then Monday 08:00
        (paris(2026, 10, 24, 23, 30), 61, "public", "normal"),  # Saturday 23:30, into Sunday's shift
        (paris(2026, 10, 30, 19, 45), 60 * 60, "public", "normal"),  # Friday evening, answered Monday
        (paris(2026, 10, 31, 23, 50), 70, "private", "normal"),  # 24/7 over the night
        (paris(2026, 11, 1, 5, 50), 15, "public", "critical"),  # All Saints' Day: a Sunday holiday
        (paris(2026, 11, 2, 9, 0), 60 * 24, "public", "normal"),  # the charter's holiday: closed Monday
        (paris(2026, 10, 27, 23, 30), 9 * 60, "public", "normal"),  # 23:30 Paris is 22:30 UTC
    ]
    with Session(engine, expire_on_commit=False) as session, session.begin():
        story = Story.on_x_acme(session, charter, "alice")
        convs = []
        for n, (at, after, visibility, urgency) in enumerate(stories):
            convs.append(story.conversation("x-acme", f"c{n}", visibility))
            story.customer(convs[-1], at, urgency=urgency)
            story.reply(convs[-1], "alice", at + (after - 1) * MINUTE, at + after * MINUTE)
        # next responses: 03:10 winter time, due 04:10, answered 04:20 (missed); a critical one on
        # Saturday 23:55, 5 minutes left that night, closed until Tuesday (holidays): due 08:10, answered
        # 08:09 (met)
        for conv, again, answer, urgency in (
            (convs[0], paris(2026, 10, 25, 3, 10), paris(2026, 10, 25, 4, 20), "normal"),
            (convs[3], paris(2026, 10, 31, 23, 55), paris(2026, 11, 3, 8, 9), "critical"),
        ):
            story.customer(conv, again, urgency=urgency)
            story.reply(conv, "alice", answer - MINUTE, answer)
        unanswered = story.conversation("x-acme", "late")
        story.customer(unanswered, paris(2026, 10, 29, 19, 30))
    now = datetime.now(UTC)
    hand, judged = recompute(engine, config / "charter.toml", now)
    period = "2026-10-24..2026-11-03"
    expected = hand_figures(hand, judged, date(2026, 10, 24), date(2026, 11, 3))
    assert expected["next"] == (1, 1, 0)
    assert [j.outcome for j in judged if j.arrived == stories[0][0]] == ["missed"]
    assert inbox_figures(period) == expected
    # the dashboard's data functions draw the same CSV
    with Session(engine) as session:
        shown = all_tables(
            period_report(session, charter, parse_period(period, now, hand.zone), now),
            live_report(session, charter, now),
            attainment_windows(session, charter, now),
        )
    for name in ("summary", "attainment_by_day"):
        assert list(csv.DictReader(io.StringIO(to_csv(shown[name])))) == report_csv(name, period), name
