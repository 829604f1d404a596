"""The staffing simulator's engine on cases small enough to compute by hand (tests/unit, no database).

The charter below: 60 minutes on the wall clock for public messages, critical 15 minutes; the team works
Monday to Friday 08:00-12:00 and 14:00-18:00 in Paris (UTC+1 in March 2026). Handling is 10 minutes flat
(every observed reply took 10 minutes), so each case's answers follow from the rules alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbox.charter.model import Charter, parse_charter
from inbox.reports.simulation.arrivals import Arrival, read_csv
from inbox.reports.simulation.engine import simulate
from inbox.reports.simulation.handling import HandlingModel
from inbox.reports.simulation.outcome import outcome
from inbox.reports.simulation.plan import parse_agents, run_plan
from inbox.reports.simulation.workload import Workload, prepare

HOURS = ["08:00-12:00", "14:00-18:00"]
SLA: dict[str, Any] = {
    "team": "care",
    "default": {kind: {"first_response": {"minutes": 60}} for kind in ("public", "private", "listening")},
    "urgency": {"critical": 15},
}
TEAMS = {
    "care": {"timezone": "Europe/Paris", "week": {day: HOURS for day in ("mon", "tue", "wed", "thu", "fri")}}
}
CHARTER: Charter = parse_charter({"sla": SLA, "teams": TEAMS})
TEN_MINUTES = HandlingModel({("x-acme", "public"): (10.0,) * 5})
DAY_START = datetime(2026, 3, 4, 0, 0, tzinfo=UTC)  # Wednesday
DAY_END = DAY_START + timedelta(days=1)


def paris(hour: int, minute: int = 0) -> datetime:
    """Wednesday 4 March 2026 at this Paris time, in UTC."""
    return datetime(2026, 3, 4, hour - 1, minute, tzinfo=UTC)


def arrival(at: datetime, urgency: str | None = None) -> Arrival:
    return Arrival(at, "x-acme", "public", urgency)


def workload(*arrivals: Arrival, handling: HandlingModel = TEN_MINUTES) -> Workload:
    return prepare(CHARTER, arrivals, handling, seed=1, start=DAY_START, end=DAY_END)


def answers(w: Workload, agents: int, policy: str = "deadline") -> list[datetime | None]:
    run = simulate(w, agents, policy)  # type: ignore[arg-type]
    return [None if t is None else datetime.fromtimestamp(t, UTC) for t in run.answered]


def test_one_agent_two_arrivals_answers_one_after_the_other() -> None:
    w = workload(arrival(paris(10)), arrival(paris(10, 2)))
    assert answers(w, 1) == [paris(10, 10), paris(10, 20)]
    result = outcome(w, simulate(w, 1, "deadline"))
    assert (result.met, result.jobs, result.unanswered) == (2, 2, 0)
    assert (result.wait_p50, result.wait_p90) == (10.0, 18.0)  # 10 and 18 minutes: nearest rank
    assert result.backlog_peak == 2 and result.backlog_peak_at == paris(10, 2)


def test_two_agents_answer_two_arrivals_at_once() -> None:
    w = workload(arrival(paris(10)), arrival(paris(10, 2)))
    assert answers(w, 2) == [paris(10, 10), paris(10, 12)]


def test_a_message_that_arrives_before_opening_waits_for_the_team() -> None:
    w = workload(arrival(paris(7)))  # due 08:00 on the wall clock: the team opens at 08:00
    assert answers(w, 1) == [paris(8, 10)]
    assert outcome(w, simulate(w, 1, "deadline")).met == 0


def test_an_answer_started_before_closing_is_finished_and_the_next_waits_for_the_afternoon() -> None:
    w = workload(arrival(paris(11, 55)), arrival(paris(11, 58)))
    assert answers(w, 1) == [paris(12, 5), paris(14, 10)]


def test_the_queue_order_takes_the_critical_message_first_and_fifo_does_not() -> None:
    w = workload(arrival(paris(10)), arrival(paris(10, 1)), arrival(paris(10, 8), "critical"))
    # deadline: the first is taken at 10:00; at 10:10 the critical one (due 10:23) beats the normal (11:01)
    assert answers(w, 1, "deadline") == [paris(10, 10), paris(10, 30), paris(10, 20)]
    assert answers(w, 1, "fifo") == [paris(10, 10), paris(10, 20), paris(10, 30)]
    deadline, fifo = (outcome(w, simulate(w, 1, p)) for p in ("deadline", "fifo"))
    assert (deadline.met, fifo.met) == (3, 2)  # fifo answers the critical one at 10:30, past 10:23


def test_a_contact_reason_s_own_target_is_the_one_the_inbox_would_set() -> None:
    """``[sla.reasons] account_access = 20``: a calm account-access message is due 20 minutes after it came,
    as the queue would have it, and answered at 10:10 it is within; a CSV's ``reason`` column reads it."""
    charter = parse_charter({"sla": {**SLA, "reasons": {"account_access": 20}}, "teams": TEAMS})
    locked = Arrival(paris(10), "x-acme", "public", None, reason="account_access")
    w = prepare(charter, [locked, arrival(paris(10))], TEN_MINUTES, seed=1, start=DAY_START, end=DAY_END)
    assert [j.target_minutes for j in w.jobs] == [20, 60]
    assert [datetime.fromtimestamp(j.due, UTC) for j in w.jobs] == [paris(10, 20), paris(11)]
    assert answers(w, 1) == [paris(10, 10), paris(10, 20)]
    [read] = read_csv(["created_at,channel,reason", "2026-03-04T09:00:00Z,x-acme,Account_Access"], {"x-acme"})
    assert read.reason == "account_access"


def test_nothing_is_answered_on_a_closed_day_before_the_period_drains() -> None:
    sunday = datetime(2026, 3, 8, 10, 0, tzinfo=UTC)
    w = prepare(
        CHARTER, [arrival(sunday)], TEN_MINUTES, seed=1, start=sunday, end=sunday + timedelta(hours=1)
    )
    monday_opening = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)
    assert answers(w, 1) == [monday_opening + timedelta(minutes=10)]


def test_slots_count_the_clock_start_in_local_time() -> None:
    w = workload(arrival(paris(7)), arrival(paris(15)))
    slots = outcome(w, simulate(w, 1, "deadline")).slots
    assert [(s.weekday, s.afternoon, s.jobs) for s in slots] == [(2, False, 1), (2, True, 1)]


def test_handling_times_without_history_follow_the_seed() -> None:
    arrivals = [arrival(paris(10, n)) for n in range(20)]
    first = workload(*arrivals, handling=HandlingModel())
    again = workload(*arrivals, handling=HandlingModel())
    other = prepare(CHARTER, arrivals, HandlingModel(), seed=2, start=DAY_START, end=DAY_END)
    assert [j.handling for j in first.jobs] == [j.handling for j in again.jobs]
    assert [j.handling for j in first.jobs] != [j.handling for j in other.jobs]


def test_a_pool_too_small_for_the_channel_borrows_its_kind_on_other_channels() -> None:
    model = HandlingModel({("x-acme", "public"): (4.0,), ("mastodon-acme", "public"): (6.0,) * 5})
    assert sorted(set(model.pool("x-acme", "public") or ())) == [4.0, 6.0]
    assert model.pool("x-acme", "private") is None


@pytest.mark.parametrize(("text", "levels"), [("5", [5]), ("2..4", [2, 3, 4]), (" 1 .. 2 ", [1, 2])])
def test_agent_ranges(text: str, levels: list[int]) -> None:
    assert list(parse_agents(text)) == levels


@pytest.mark.parametrize("text", ["0", "4..2", "two", "2-8", "1..500"])
def test_agent_ranges_refused(text: str) -> None:
    with pytest.raises(ValueError, match="agents"):
        parse_agents(text)


MINUTES_IN_A_WEEK = 7 * 24 * 60
arrival_lists = st.lists(
    st.tuples(st.integers(0, MINUTES_IN_A_WEEK), st.sampled_from([None, "normal", "high", "critical"])),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(arrival_lists, st.integers(0, 10_000), st.integers(1, 6), st.sampled_from(["deadline", "fifo"]))
def test_more_agents_never_lower_attainment(
    found: list[tuple[int, str | None]], seed: int, agents: int, policy: str
) -> None:
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    arrivals = [arrival(monday + timedelta(minutes=m), u) for m, u in found]
    plan = run_plan(
        CHARTER,
        arrivals,
        HandlingModel(default_minutes=20),
        agents=[agents, agents + 1],
        policies=[policy],  # type: ignore[list-item]
        start=monday,
        end=monday + timedelta(days=8),
        seed=seed,
    )
    fewer, more = plan.outcomes
    assert more.met >= fewer.met


def test_messages_of_a_closed_weekend_are_due_after_monday_opening_on_a_business_hours_clock() -> None:
    business = parse_charter(
        {
            **CHARTER.model_dump(mode="json", exclude_none=True, include={"teams"}),
            "sla": {
                "team": "care",
                "default": {
                    kind: {"first_response": {"minutes": 60, "clock": "business_hours"}}
                    for kind in ("public", "private", "listening")
                },
                "urgency": {"critical": 15},
            },
        }
    )
    saturday, sunday = datetime(2026, 3, 7, 9, 0, tzinfo=UTC), datetime(2026, 3, 8, 14, 0, tzinfo=UTC)
    arrivals = [arrival(saturday), arrival(sunday), arrival(sunday, "critical")]
    w = prepare(business, arrivals, TEN_MINUTES, seed=1, start=saturday, end=sunday + timedelta(hours=1))
    monday = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # 08:00 in Paris
    assert [datetime.fromtimestamp(j.due, UTC) for j in w.jobs] == [
        monday + timedelta(minutes=60),
        monday + timedelta(minutes=60),
        monday + timedelta(minutes=15),
    ]
    assert answers(w, 1) == [
        monday + timedelta(minutes=20),
        monday + timedelta(minutes=30),
        monday + timedelta(minutes=10),
    ]
