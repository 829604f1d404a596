"""The KPI rules as pure functions: percentiles, periods (DST), live clock states, handling time, FCR, CSV."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inbox.charter.model import Charter, parse_charter
from inbox.reports.kpis import handling_times, is_first_contact_resolution
from inbox.reports.period import PeriodError, parse_period
from inbox.reports.rows import AgentEvent, ConversationFacts, OpenConversation
from inbox.reports.sla_kpis import first_response, live_clock
from inbox.reports.stats import median, nearest_rank
from inbox.reports.tables import Table, to_csv
from tests.support.reports_seed import CHARTER_TOML

PARIS = ZoneInfo("Europe/Paris")


def charter(**segments: int) -> Charter:
    import tomllib

    data = tomllib.loads(CHARTER_TOML)
    data["sla"]["segments"].update(segments)
    return parse_charter(data)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("values", "mid", "p90"),
    [
        ([20, 25, 40, 70, 165], 40, 165),  # ceil(4.5) = 5th
        ([4, 1, 3, 2], 2.5, 4),  # even count: mean of the middle two; ceil(3.6) = 4th
        (list(range(1, 11)), 5.5, 9),  # ceil(9.0) = 9th
        (list(range(1, 21)), 10.5, 18),  # ceil(18.0) = 18th
        ([7], 7, 7),
        ([], None, None),
    ],
)
def test_median_and_nearest_rank_p90(values: list[float], mid: float | None, p90: float | None) -> None:
    assert median(values) == mid
    assert nearest_rank(values, 90) == p90


@pytest.mark.parametrize(
    ("spec", "now", "first", "last", "start", "end"),
    [
        # 29 March 2026: clocks go forward in Paris, the day has 23 hours.
        ("today", at(29, 10), date(2026, 3, 29), date(2026, 3, 29), at(28, 23), at(29, 22)),
        ("7d", at(29, 10), date(2026, 3, 23), date(2026, 3, 29), at(22, 23), at(29, 22)),
        (
            "30d",
            at(4, 12),
            date(2026, 2, 3),
            date(2026, 3, 4),
            datetime(2026, 2, 2, 23, tzinfo=UTC),
            at(4, 23),
        ),
        # 23:30 UTC on 3 March is already the 4th in Paris.
        ("today", at(3, 23, 30), date(2026, 3, 4), date(2026, 3, 4), at(3, 23), at(4, 23)),
        ("2026-03-02..2026-03-04", at(29, 10), date(2026, 3, 2), date(2026, 3, 4), at(1, 23), at(4, 23)),
        ("2026-03-04", at(29, 10), date(2026, 3, 4), date(2026, 3, 4), at(3, 23), at(4, 23)),
    ],
)
def test_periods_are_whole_local_days(
    spec: str, now: datetime, first: date, last: date, start: datetime, end: datetime
) -> None:
    p = parse_period(spec, now, PARIS)
    assert (p.first_day, p.last_day, p.start, p.end) == (first, last, start, end)


@pytest.mark.parametrize("spec", ["yesterday", "2026-03-05..2026-03-01", "2026-02-30", "7 d", ""])
def test_unreadable_periods_say_what_is_accepted(spec: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(spec, at(4, 12), PARIS)


def waiting(channel: str, start: datetime, due: datetime, **kw: object) -> OpenConversation:
    base = OpenConversation(
        id=1,
        channel=channel,
        platform="x",
        kind="mention",
        visibility="public",
        urgency="normal",
        handle="ann",
        tags=(),
        assignee=None,
        clock_start=start,
        sla_due_at=due,
        answered_before=False,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (at(4, 11, 44), "on_track"),  # 44 of 60 minutes
        (at(4, 11, 45), "at_risk"),  # exactly 75 %: at risk, as the SLA engine rules
        (at(4, 12, 0), "at_risk"),  # at the due time: still met if answered now
        (at(4, 12, 1), "breached"),
    ],
)
def test_live_state_on_a_24_7_clock(now: datetime, state: str) -> None:
    assert live_clock(waiting("x-acme", at(4, 11), at(4, 12)), charter(), now).state == state


def test_live_state_on_business_hours_counts_only_opening_time() -> None:
    # mastodon-acme public: 60 business minutes. 19:30 Paris (18:30 UTC) on Wednesday: 30 minutes run that
    # evening, the other 30 the next morning, due 08:30 Paris (07:30 UTC) on Thursday.
    conv = waiting("mastodon-acme", at(4, 18, 30), at(5, 7, 30), platform="mastodon")
    night = live_clock(conv, charter(), at(4, 23))  # 4.5 hours later on the wall clock, but closed
    assert (night.state, night.fraction) == ("on_track", 0.5)
    morning = live_clock(conv, charter(), at(5, 7, 15))  # 08:15 Paris: 45 of 60 business minutes
    assert (morning.state, morning.fraction) == ("at_risk", 0.75)


def test_live_state_keeps_the_target_stored_at_arrival() -> None:
    # A VIP conversation stored with 30 minutes; the charter now says 20. At 16 minutes it is 53 % through
    # its own target (on track), not 80 % through the new one.
    conv = waiting("x-acme", at(4, 11), at(4, 11, 30), tags=("vip",))
    assert live_clock(conv, charter(vip=20), at(4, 11, 16)).state == "on_track"


def facts(**kw: object) -> ConversationFacts:
    base = ConversationFacts(
        id=1,
        channel="x-acme",
        platform="x",
        kind="mention",
        visibility="public",
        status="resolved",
        first_inbound_at=at(4, 9),
        first_response_at=at(4, 9, 30),
        last_inbound_at=at(4, 9),
        last_outbound_at=at(4, 9, 30),
        sla_due_at=None,
        arrival_urgency="normal",
        tags=(),
        brand_replies=1,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, True),
        ({"brand_replies": 2}, False),
        ({"last_inbound_at": at(4, 9, 40)}, False),  # the customer wrote after the answer
        ({"status": "open"}, False),
        ({"status": "pending"}, False),
    ],
)
def test_first_contact_resolution_rule(changes: dict[str, object], expected: bool) -> None:
    assert is_first_contact_resolution(facts(**changes)) is expected


def test_first_response_outcomes() -> None:
    c = charter()
    assert first_response(facts(), c, at(4, 12)).outcome == "met"  # 30 of 60
    assert first_response(facts(first_response_at=at(4, 10, 1)), c, at(4, 12)).outcome == "missed"
    assert (
        first_response(facts(first_response_at=at(4, 10)), c, at(4, 12)).outcome == "met"
    )  # at the due time
    vip = facts(tags=("vip",), first_response_at=at(4, 9, 31))
    assert first_response(vip, c, at(4, 12)).outcome == "missed"  # 31 of 30
    unanswered = facts(first_response_at=None, status="open", sla_due_at=at(4, 10))
    assert first_response(unanswered, c, at(4, 10)).outcome == "waiting"
    assert first_response(unanswered, c, at(4, 10, 1)).outcome == "missed"
    # A running clock keeps the due time stored at arrival (vip: 30 min), whatever the charter says now (5).
    vip_waiting = facts(first_response_at=None, status="open", sla_due_at=at(4, 9, 30), tags=("vip",))
    kept = first_response(vip_waiting, charter(vip=5), at(4, 9, 20))
    assert (kept.due, kept.outcome) == (at(4, 9, 30), "waiting")
    closed = facts(first_response_at=None, status="resolved", brand_replies=0, sla_due_at=at(4, 10))
    assert first_response(closed, c, at(4, 12)).outcome == "closed_unanswered"


def test_handling_time_starts_at_the_latest_of_opening_own_reply_and_customer_message() -> None:
    p = parse_period("2026-03-04", at(4, 12), PARIS)

    def ev(hour: int, minute: int, kind: str, actor: str = "alice", conv: int = 1) -> AgentEvent:
        return AgentEvent(at(4, hour, minute), kind, "" if kind == "customer" else actor, conv)

    events = [
        ev(9, 0, "customer"),
        ev(9, 10, "view"),
        ev(9, 20, "reply"),  # 10 from the opening
        ev(9, 40, "customer"),
        ev(9, 50, "reply"),  # 10 from the customer's new message
        ev(9, 55, "reply"),  # 5 from her own previous reply
        ev(10, 0, "reply", "bruno"),  # bruno never opened it: not measured
        ev(9, 0, "view", conv=2),
        ev(17, 1, "reply", conv=2),  # opened 8 h 01 before: not measured
        ev(10, 0, "view", conv=3),
        ev(10, 0, "customer", conv=3),
        ev(10, 0, "reply", conv=3),  # all at one instant: 0
        AgentEvent(at(3, 22, 40), "view", "alice", 4),
        AgentEvent(at(3, 22, 50), "reply", "alice", 4),  # 23:50 Paris on the 3rd: before the period
    ]
    assert handling_times(events, p) == {
        "alice": [timedelta(minutes=10), timedelta(minutes=10), timedelta(minutes=5), timedelta(0)]
    }


def test_csv_neutralises_spreadsheet_formulas_in_customer_text() -> None:
    table = Table(
        "t",
        "T",
        ("customer", "last_message", "minutes_left"),
        [("eve", '=HYPERLINK("x")', -5.0), ("@x", "fine", 1.0)],
    )
    expected = 'customer,last_message,minutes_left\neve,"\'=HYPERLINK(""x"")",-5.0\n\'@x,fine,1.0\n'
    assert to_csv(table) == expected


def test_a_clock_late_for_days_is_breached_without_walking_every_day_since() -> None:
    conv = waiting("x-acme", at(4, 11), at(4, 12))
    late_hours = live_clock(conv, charter(), at(4, 23))
    assert (late_hours.state, late_hours.fraction) == ("breached", 12.0)  # 12 hours on a 1-hour target
    late_days = live_clock(conv, charter(), at(9, 12))
    assert (late_days.state, late_days.fraction) == ("breached", None)  # shown as late by 5 days instead
