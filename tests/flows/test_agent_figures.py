"""An agent's own figures (#13.12) on the report tests' known day, computed by hand from the table in
tests/support/reports_seed.py (Wednesday 4 March 2026 in Paris: 03-03 23:00 to 03-04 23:00 UTC), with the
surveys of tests/support/agent_day.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.access import PermissionDenied
from inbox.reports.agent_figures import agent_figures, team_members
from inbox.reports.period import Period
from inbox.store.tables import User
from tests.support.agent_day import seed_agent_day
from tests.support.reports_seed import write_config

DAY = Period("2026-03-04", date(2026, 3, 4), date(2026, 3, 4), ZoneInfo("Europe/Paris"))


@pytest.fixture
def users(engine: Engine, tmp_path: Path) -> dict[str, User]:
    seed_agent_day(engine, write_config(tmp_path / "config"))
    with Session(engine) as s:
        return {u.name: u for u in s.exec(select(User))}


def test_alices_day_replies_resolutions_handling_and_first_responses(
    engine: Engine, users: dict[str, User]
) -> None:
    with Session(engine) as s:
        f = agent_figures(s, users["alice"], "alice", DAY)
    # J (sent 23:10 UTC on the 3rd = 00:10 in Paris), A, D, C; resolved A, D, C.
    assert (f.display_name, f.replies_sent, f.resolved) == ("Alice", 4, 3)
    # J was queued the day before (not measured); A 00:00->00:05, D 07:30->07:40, C 09:10->09:20.
    assert f.handling_minutes == (5.0, 10.0, 10.0) and (f.handling_median, f.handling_p90) == (10.0, 10.0)
    # First answers: J (due 23:30) at 23:10, A (due 00:30) at 00:10, D (60 business minutes from 08:00
    # Paris: due 08:00 UTC) at 07:45, C (VIP 30 min: due 09:30) at 09:25: all on time.
    assert (f.first_responses, f.first_responses_on_time, f.on_time_rate) == (4, 4, 1.0)
    assert f.replies_by_day == {date(2026, 3, 4): 4}


def test_satisfaction_after_their_conversations(engine: Engine, users: dict[str, User]) -> None:
    with Session(engine) as s:
        alice = agent_figures(s, users["alice"], "alice", DAY)
        bruno = agent_figures(s, users["maya"], "bruno", DAY)
    [csat] = alice.satisfaction  # A (5), C (3) and D (no answer): 3 sent, 2 answers, one of them 4-5
    assert (csat.kind, csat.sent, csat.answered, csat.scores.csat) == ("csat", 3, 2, 50.0)
    assert [(g.sent, g.scores.csat) for g in bruno.satisfaction] == [(1, 0.0)]  # B: 2


def test_brunos_day_seen_by_a_manager(engine: Engine, users: dict[str, User]) -> None:
    with Session(engine) as s:
        f = agent_figures(s, users["maya"], "bruno", DAY)
    assert (f.replies_sent, f.resolved) == (3, 1)  # B twice, E; resolved B
    # B 09:00->09:25 (25); B again from the customer's 09:40 to 09:50 (10); E 10:05->10:20 (15).
    assert sorted(f.handling_minutes) == [10.0, 15.0, 25.0] and (f.handling_median, f.handling_p90) == (
        15.0,
        25.0,
    )
    # B due 09:20 answered 09:30, E (critical 15 min) due 10:15 answered 10:20: both late.
    assert (f.first_responses, f.first_responses_on_time, f.on_time_rate) == (2, 0, 0.0)


def test_nothing_to_count_is_no_figure_not_zero(engine: Engine, users: dict[str, User]) -> None:
    with Session(engine) as s:
        f = agent_figures(s, users["maya"], "maya", DAY)
    assert (f.replies_sent, f.resolved) == (0, 1)  # maya resolved I without an answer
    assert (f.handling_median, f.on_time_rate) == (None, None)


def test_an_agent_cannot_read_a_colleagues_figures(engine: Engine, users: dict[str, User]) -> None:
    with Session(engine) as s, pytest.raises(PermissionDenied, match="see another person's figures"):
        agent_figures(s, users["alice"], "bruno", DAY)
    with Session(engine) as s:
        assert team_members(s) == [("alice", "Alice"), ("bruno", "Bruno"), ("maya", "Maya")]
