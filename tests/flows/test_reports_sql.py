"""The report's SQL counts (inbox.reports.first_responses) hold to the per-conversation rules they implement
(inbox.reports.sla_kpis, inbox.reports.kpis), on the known set of tests/support/reports_seed.py."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, literal, select, text
from sqlmodel import Session

from inbox.charter.model import Charter, load_charter, parse_charter
from inbox.reports import kpis
from inbox.reports.period import parse_period
from inbox.reports.report import PeriodReport, judged_conversations, period_report
from inbox.reports.rows import OutcomeCount
from inbox.reports.sla_kpis import (
    FirstResponse,
    attainment,
    attainment_by_channel,
    attainment_by_day,
    outcome_count,
)
from inbox.reports.sqltime import from_quarter, quarter_hour, quarter_of
from inbox.store.tables import UTCDateTime
from tests.support.reports_seed import CHARTER_TOML, NOW, seed_known_set, write_config

PARIS = ZoneInfo("Europe/Paris")
Known = tuple[Engine, Charter, dict[str, int]]


@pytest.fixture
def known(engine: Engine, tmp_path: Path) -> Iterator[Known]:
    config = write_config(tmp_path / "config")
    ids = seed_known_set(engine, config)
    yield engine, load_charter(config), ids


def both(
    known: Known, spec: str, channel: str | None = None, charter: Charter | None = None
) -> tuple[PeriodReport, list[FirstResponse]]:
    engine, seeded_with, _ = known
    used = charter or seeded_with
    with Session(engine) as session:
        period = parse_period(spec, NOW, PARIS)
        report = period_report(session, used, period, NOW, channel)
        return report, judged_conversations(session, used, period, NOW, channel)


@pytest.mark.parametrize(
    ("spec", "channel"),
    [
        ("2026-03-04", None),
        ("2026-03-03..2026-03-04", None),
        ("2026-03-01..2026-03-31", None),
        ("2026-03-04", "x-acme"),
        ("2026-03-04", "mastodon-acme"),
    ],
)
def test_sql_counts_equal_the_rules_applied_one_conversation_at_a_time(
    known: Known, spec: str, channel: str | None
) -> None:
    r, judged = both(known, spec, channel)
    counts = [outcome_count(j) for j in judged]
    assert judged and r.conversations == len(judged)
    assert r.attainment == attainment(counts)
    assert r.attainment_by_channel == attainment_by_channel(counts)
    assert r.attainment_by_day == attainment_by_day(counts, PARIS)
    assert r.response_times == kpis.response_times(judged)
    for name in {j.facts.channel for j in judged}:
        assert r.response_times_of(name) == kpis.response_times(j for j in judged if j.facts.channel == name)
    assert r.fcr == kpis.first_contact_resolution(j.facts for j in judged)


def _forget_due_times(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE conversation SET first_response_due_at = NULL"))


def stricter() -> Charter:
    """The known set's charter with a 5-minute first response everywhere by default."""
    data = tomllib.loads(CHARTER_TOML)
    for kind in ("public", "private"):
        data["sla"]["default"][kind]["first_response"] = {"minutes": 5}
    return parse_charter(data)


def test_a_later_charter_does_not_re_judge_past_work(known: Known) -> None:
    kept, _ = both(known, "2026-03-04", charter=stricter())
    a = kept.attainment
    assert (a.met, a.missed, a.waiting, a.closed_unanswered) == (3, 3, 2, 1)  # as stored at arrival


def test_conversations_stored_without_a_due_time_are_judged_with_the_charter(known: Known) -> None:
    _forget_due_times(known[0])  # as rows written before migration 0009
    same, judged = both(known, "2026-03-04")
    a = same.attainment
    assert (a.met, a.missed, a.waiting, a.closed_unanswered) == (3, 3, 2, 1)  # the charter they arrived under
    assert a == attainment(outcome_count(j) for j in judged)
    strict, _ = both(known, "2026-03-04", charter=stricter())
    # Now judged by the 5-minute default: A (40 min), D (165 wall-clock, 45 business) miss; C (vip 30) and
    # the running clocks F, G, H keep their stored due times.
    s = strict.attainment
    assert (s.met, s.missed, s.waiting, s.closed_unanswered) == (1, 5, 2, 1)


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 3, 4, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 4, 18, 29, 59, 999999, tzinfo=UTC),
        datetime(2026, 3, 4, 18, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 59, 30, 500000, tzinfo=UTC),
    ],
)
def test_the_database_buckets_quarter_hours_as_python_does(engine: Engine, at: datetime) -> None:
    with engine.connect() as conn:
        bucket = conn.execute(select(quarter_hour(literal(at, UTCDateTime())))).scalar_one()
    assert from_quarter(bucket) == quarter_of(at)
    assert quarter_of(at) <= at and (at - quarter_of(at)).total_seconds() < 900


def test_quarter_hours_sum_into_local_days_of_a_half_hour_time_zone() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30: its midnight is 18:30 UTC
    before = OutcomeCount("x", quarter_of(datetime(2026, 3, 4, 18, 20, tzinfo=UTC)), "met", 1)
    after = OutcomeCount("x", quarter_of(datetime(2026, 3, 4, 18, 35, tzinfo=UTC)), "missed", 1)
    days = attainment_by_day([before, after], kolkata)
    assert {day: (a.met, a.missed) for day, a in days.items()} == {
        date(2026, 3, 4): (1, 0),
        date(2026, 3, 5): (0, 1),
    }
