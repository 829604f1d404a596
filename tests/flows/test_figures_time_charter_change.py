"""A charter changed mid-period: each conversation judged, first and next responses, by the version in force
when it arrived (docs/kpis.md), recomputed by hand from the versions' TOML and compared with ``inbox report``.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import load_charter, parse_charter
from inbox.charter.versions import save_version
from inbox.store.tables import User
from tests.support.hand_charter import CHARTER_TOML, MINUTE, HandCharter, paris
from tests.support.hand_figures import (  # noqa: F401 (config: the fixture)
    cell,
    config_folder,
    pct,
    report_csv,
)
from tests.support.reports_seed import Story

# ---------------------------------------------------------------- a charter changed mid-period

SAVED = paris(2026, 11, 4, 12, 0)  # Wednesday 4 November 2026, noon: public targets cut to 30 minutes


def in_force(versions: list[tuple[datetime, HandCharter]], arrived: datetime) -> HandCharter:
    """The newest version saved at or before the conversation's first message (docs/kpis.md)."""
    return [hand for saved, hand in versions if saved <= arrived][-1]


def test_a_charter_changed_mid_period_judges_each_conversation_by_its_arrival(
    engine: Engine, config: Path
) -> None:
    """A: Tuesday 10:00, answered 10:45; writes again Thursday 10:00 (after the change), answered 10:45.
    B: Wednesday 15:00 (after the change), answered 15:45. By hand: A met and its next response met
    (v1, 60 minutes), B missed (v2, 30 minutes); attainment 50 % for first responses, 100 % for next ones."""
    old_text = CHARTER_TOML
    new_text = CHARTER_TOML.replace(
        'first_response = { minutes = 60, clock = "business_hours" }',
        'first_response = { minutes = 30, clock = "business_hours" }',
        1,
    )
    v1, v2 = (HandCharter(tomllib.loads(t)) for t in (old_text, new_text))
    versions = [(datetime.min.replace(tzinfo=UTC), v1), (SAVED, v2)]
    admin = User(name="maya", role="manager", password_hash="-")
    with Session(engine) as session, session.begin():
        save_version(
            session, new_text, by=admin, comment="30 min", now=SAVED, based_on=None, previous_text=old_text
        )
    a0, a1, b0 = paris(2026, 11, 3, 10, 0), paris(2026, 11, 5, 10, 0), paris(2026, 11, 4, 15, 0)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        story = Story.on_x_acme(session, load_charter(config), "alice")
        a, b = story.conversation("x-acme", "ann"), story.conversation("x-acme", "ben")
        for conv, first, nxt in ((a, a0, a1), (b, b0, None)):
            charter_then = parse_charter(tomllib.loads(old_text if first < SAVED else new_text), "charter")
            story.charter = charter_then  # the listener's due policy: the version in force at arrival
            story.customer(conv, first)
            story.reply(conv, "alice", first + 44 * MINUTE, first + 45 * MINUTE)
            if nxt:
                story.customer(conv, nxt)
                story.reply(conv, "alice", nxt + 44 * MINUTE, nxt + 45 * MINUTE)
    # by hand, from the versions' TOML: each conversation's clocks with the version in force at its arrival
    firsts = [(first, in_force(versions, first)) for first in (a0, b0)]
    met_first = sum(
        first + 45 * MINUTE <= hand.due(first, *hand.target("public", None)) for first, hand in firsts
    )
    hand_a = in_force(versions, a0)
    met_next = a1 + 45 * MINUTE <= hand_a.due(a1, *hand_a.target("public", None))
    assert (met_first, met_next) == (1, True)
    period = "2026-11-02..2026-11-06"
    summary = {row["kpi"]: row["value"] for row in report_csv("summary", period)}
    targets = {
        (r["metric"], r["channel"], r["kind"]): (r["met"], r["missed"], r["attainment_pct"])
        for r in report_csv("charter_targets", period)
    }
    assert cell(summary["sla_attainment_pct"]) == pct(met_first, 2) == "50.0"
    assert targets[("first_response", "all", "all")] == ("1", "1", "50.0")
    assert targets[("next_response", "all", "all")] == ("1", "0", "100.0")


def test_business_wait_counts_the_hours_kept_then_and_goals_the_current_ones(
    engine: Engine, config: Path
) -> None:
    """Saturday mornings opened on Wednesday 18 November 2026; a message of Friday 13 at 19:30 answered on
    Saturday 14 at 10:00. By hand (docs/kpis.md): the business-time wait counts the hours in force when it
    arrived (30 minutes: 19:30-20:00, Saturday closed until 22:00), the goal (60 business minutes) the current
    ones (19:30-20:00 then Saturday 09:00-09:30: due 09:30, late)."""
    new_text = CHARTER_TOML.replace('sat = ["22:00-24:00"]', 'sat = ["09:00-13:00", "22:00-24:00"]')
    then, current = (HandCharter(tomllib.loads(t)) for t in (CHARTER_TOML, new_text))
    admin = User(name="maya", role="manager", password_hash="-")
    with Session(engine) as session, session.begin():
        save_version(
            session,
            new_text,
            by=admin,
            comment="Saturday mornings",
            now=paris(2026, 11, 18, 12, 0),
            based_on=None,
            previous_text=CHARTER_TOML,
        )
    arrived, answered = paris(2026, 11, 13, 19, 30), paris(2026, 11, 14, 10, 0)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        story = Story.on_x_acme(session, load_charter(config), "alice")
        conv = story.conversation("x-acme", "ann")
        story.customer(conv, arrived)
        story.reply(conv, "alice", answered - MINUTE, answered)
    waited = then.business_minutes(arrived, answered)
    late = answered > current.due(arrived, 60, "business_hours")
    assert (waited, late) == (30, True)
    period = "2026-11-13..2026-11-14"
    kpis = next(r for r in report_csv("contact_kpis", period) if r["channel"] == r["kind"] == "all")
    goal = next(r for r in report_csv("service_goals", period) if r["channel"] == "all")
    assert cell(kpis["frt_business_median_min"]) == f"{float(waited)}"
    assert (goal["within"], goal["late"]) == ("0", "1")
