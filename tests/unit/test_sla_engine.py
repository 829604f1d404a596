"""The SLA engine: which target applies, due times, states, next responses, charter changes (colours and
alerts: tests/unit/test_sla_alerts.py).

The test charter (tests/unit/test_charter_model.py::charter_data): a Paris team open Mon-Fri 08-12 and 14-20,
1 May and 25 December closed, 24 December mornings only. Public: first response 60 business minutes, next
response 30, resolution 600; private: 60 minutes 24/7; listening: 240 business minutes; channel x-acme public
45; platform mastodon public 120 (24/7); urgency critical 15, high 45; segments vip 30, press 20 (public
only); at risk from 75% of the target. Times are Paris local time unless written in UTC; 2026-01-14 is a
Wednesday.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inbox.charter.sla import (
    SlaEvent,
    SlaSubject,
    charter_in_force,
    charter_kind,
    due_at,
    evaluate,
    evaluate_targets,
    target_for,
    targets_for,
)
from tests.support.charter import make_charter
from tests.support.sla import CHARTER, PUBLIC, fri, ins, mon, outs, paris, run, thu, wed

BH = "business_hours"
PUB = "sla.default.public.first_response"
LIS = "sla.default.listening.first_response"
ACME = "sla.channels.x-acme.public.first_response"
MASTO = "sla.channels.mastodon.public.first_response"


@pytest.mark.parametrize(
    ("channel", "kind", "urgency", "tags", "minutes", "clock", "rule"),
    [
        ("x-other", "public", None, [], 60, BH, PUB),
        ("x-acme", "public", None, [], 45, BH, ACME),
        ("toot", "public", None, [], 120, "24/7", MASTO),  # by platform
        ("x-acme", "private", None, [], 60, "24/7", "sla.default.private.first_response"),
        ("x-other", "listening", None, [], 240, BH, LIS),
        ("x-other", "public", "critical", [], 15, BH, "sla.urgency.critical"),
        ("x-other", "public", None, ["vip"], 30, BH, "sla.segments.vip"),
        ("x-other", "public", "critical", ["vip"], 15, BH, "sla.urgency.critical"),  # shortest wins
        ("x-other", "public", "high", ["vip"], 30, BH, "sla.segments.vip"),  # 30 < 45
        ("x-other", "public", None, [" VIP "], 30, BH, "sla.segments.vip"),
        ("x-other", "public", None, ["vip", "press"], 20, BH, "sla.segments.press"),
        ("x-other", "listening", None, ["vip"], 30, BH, "sla.segments.vip"),
        ("x-other", "listening", None, ["press"], 240, BH, LIS),  # press applies to public only
        ("x-acme", "public", "high", [], 45, BH, ACME),  # a tie: the base target keeps it
        ("toot", "public", "critical", [], 15, "24/7", "sla.urgency.critical"),  # keeps the 24/7 clock
        ("x-other", "public", "urgent", [], 60, BH, PUB),
        ("x-other", "public", "low", [], 60, BH, PUB),
    ],
)
def test_target_for(
    channel: str, kind: str, urgency: str | None, tags: list[str], minutes: int, clock: str, rule: str
) -> None:
    platform = "mastodon" if channel == "toot" else "x"
    target = target_for(CHARTER, channel, kind, urgency, tags, platform=platform)  # type: ignore[arg-type]
    assert target is not None
    assert (target.minutes, target.clock, target.rule, target.team) == (minutes, clock, rule, "care")


@pytest.mark.parametrize(
    ("kind", "urgency", "minutes", "clock", "rule"),
    [
        ("public", None, 30, "business_hours", "sla.default.public.next_response"),
        ("private", None, 60, "24/7", "sla.default.private.first_response"),  # none set: first response
        ("public", "critical", 15, "business_hours", "sla.urgency.critical"),
    ],
)
def test_next_response_target(kind: str, urgency: str | None, minutes: int, clock: str, rule: str) -> None:
    target = target_for(CHARTER, "x-other", kind, urgency, [], metric="next_response")  # type: ignore[arg-type]
    assert target is not None
    assert target.metric == "next_response"
    assert (target.minutes, target.clock, target.rule) == (minutes, clock, rule)


def test_resolution_targets_are_optional_and_not_shortened_by_default() -> None:
    targets = targets_for(CHARTER, "x-other", "public", "critical", ["vip"])
    assert targets.resolution is not None and targets.resolution.minutes == 600
    assert targets_for(CHARTER, "x-other", "private", None, []).resolution is None


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        target_for(CHARTER, "x-other", "comment", None, [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "visibility", "expected"),
    [("mention", "public", "public"), ("comment", "public", "public"), ("dm", "private", "private"),
     ("mention", "private", "private"), ("listening", "public", "listening")],
)  # fmt: skip
def test_charter_kind(kind: str, visibility: str, expected: str) -> None:
    assert charter_kind(kind, visibility) == expected


@pytest.mark.parametrize(
    ("subject", "received", "expected"),
    [
        (PUBLIC, wed(9), wed(10)),
        (PUBLIC, fri(19, 30), mon(8, 30)),  # Friday evening → Monday
        (SlaSubject("x-other", "private"), fri(19, 30), paris(2026, 1, 16, 20, 30)),  # 24/7
        (SlaSubject("x-other", "listening"), wed(17), thu(9)),  # 180 on Wednesday, 60 on Thursday
    ],
)
def test_due_at_for_ingestion(subject: SlaSubject, received: datetime, expected: datetime) -> None:
    target = target_for(CHARTER, subject.channel, subject.kind, subject.urgency, subject.tags)
    assert target is not None
    assert due_at(CHARTER, target, received) == expected


# ---------------------------------------------------------------------------------------------- states


@pytest.mark.parametrize(
    ("events", "now", "state", "elapsed", "due"),
    [
        (ins(wed(9)), wed(9, 30), "on_track", 30, wed(10)),
        (ins(wed(9)), wed(9, 44), "on_track", 44, wed(10)),
        (ins(wed(9)), wed(9, 45), "at_risk", 45, wed(10)),  # 75% of 60 minutes
        (ins(wed(9)), wed(10), "at_risk", 60, wed(10)),  # due now: not yet breached
        (ins(wed(9)), wed(10, 1), "breached", 61, wed(10)),
        (ins(wed(9)) + outs(wed(9, 50)), wed(12), "met", 50, wed(10)),
        (ins(wed(9)) + outs(wed(10)), wed(12), "met", 60, wed(10)),  # answered at the due time
        (ins(wed(9)) + outs(wed(10, 5)), wed(12), "missed", 65, wed(10)),
        (ins(wed(11, 30)), wed(13, 59), "on_track", 30, wed(14, 30)),  # the lunch break does not count
        (ins(wed(22, 30)), thu(7, 59), "on_track", 0, thu(9)),  # out of hours: the clock starts at 08:00
        (ins(wed(22, 30)), thu(8, 50), "at_risk", 50, thu(9)),
        (ins(fri(19, 30)), paris(2026, 1, 17, 12), "on_track", 30, mon(8, 30)),  # Friday evening → Monday
        (ins(fri(19, 30)), mon(8, 31), "breached", 61, mon(8, 30)),
        (ins(paris(2026, 4, 30, 19, 30)), paris(2026, 5, 4, 8), "on_track", 30, paris(2026, 5, 4, 8, 30)),
        (ins(paris(2026, 3, 27, 19, 30)), datetime(2026, 3, 30, 6, 15, tzinfo=UTC), "at_risk", 45,
         datetime(2026, 3, 30, 6, 30, tzinfo=UTC)),  # spring DST weekend: Monday 08:15 CEST
        (ins(wed(9), wed(9, 20)) + outs(wed(9, 50)), wed(12), "met", 50, wed(10)),  # from the first message
        (outs(wed(8, 30)) + ins(wed(9)), wed(9, 30), "on_track", 30, wed(10)),  # our own first post: ignored
        (ins(wed(9)) + outs(wed(11)), wed(10, 30), "breached", 90, wed(10)),  # the 11:00 answer: not yet
        (ins(wed(9)) + outs(wed(9)), wed(9), "met", 0, wed(10)),  # answered in the same second
    ],
)  # fmt: skip
def test_states(events: list[SlaEvent], now: datetime, state: str, elapsed: int, due: datetime) -> None:
    result = run(events, now)
    assert (result.state, result.elapsed, result.due_at) == (state, timedelta(minutes=elapsed), due)
    assert result.fraction == pytest.approx(elapsed / 60)
    assert result.remaining == timedelta(minutes=60 - elapsed)
    assert result.target.rule == "sla.default.public.first_response"


@pytest.mark.parametrize(
    ("subject", "received", "clock_start"),
    [
        (PUBLIC, wed(22, 30), thu(8)),  # out of hours: the clock starts at the next opening
        (PUBLIC, wed(12, 10), wed(14)),  # lunch break
        (PUBLIC, fri(20, 0), mon(8)),  # closing time counts as closed
        (PUBLIC, wed(9, 5), wed(9, 5)),  # open: now
        (SlaSubject("x-other", "private"), wed(22, 30), wed(22, 30)),  # 24/7: at once
    ],
)
def test_the_clock_start(subject: SlaSubject, received: datetime, clock_start: datetime) -> None:
    result = run(ins(received), received + timedelta(minutes=1), subject)
    assert result.current.started_at == received
    assert result.current.clock_start == clock_start


def test_a_private_message_runs_on_the_24_7_clock() -> None:
    result = run(ins(wed(22, 30)), thu(0, 0), SlaSubject("x-other", "private"))
    assert (result.state, result.elapsed, result.due_at) == ("breached", timedelta(minutes=90), wed(23, 30))


def test_no_customer_message_means_no_clock() -> None:
    assert evaluate(outs(wed(9)), PUBLIC, CHARTER, wed(10)) is None
    assert evaluate([], PUBLIC, CHARTER, wed(10)) is None


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SlaEvent(datetime(2026, 1, 14, 9), "in")
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(ins(wed(9)), PUBLIC, CHARTER, datetime(2026, 1, 14, 10))


# ---------------------------------------------------------------------------------------------- next response


@pytest.mark.parametrize(
    ("now", "state", "elapsed"),
    [(wed(10, 20), "on_track", 20), (wed(10, 25), "at_risk", 25), (wed(10, 31), "breached", 31)],
)
def test_the_customer_writes_again_after_an_answer(now: datetime, state: str, elapsed: int) -> None:
    result = run(ins(wed(9)) + outs(wed(9, 20)) + ins(wed(10)), now)
    first, second = result.cycles
    assert (first.number, first.state, first.answered_at) == (1, "met", wed(9, 20))
    assert (second.number, second.target.metric, second.target.minutes) == (2, "next_response", 30)
    assert (result.current, result.state, result.due_at) == (second, state, wed(10, 30))
    assert result.elapsed == timedelta(minutes=elapsed)


def test_the_next_response_target_is_known_before_the_customer_writes_again() -> None:
    result = run(ins(wed(9)), wed(9, 10))
    assert (result.next_response_target.minutes, result.next_response_target.rule) == (
        30,
        "sla.default.public.next_response",
    )


def test_a_missed_first_response_stays_missed_when_the_next_one_is_met() -> None:
    result = run(ins(wed(9)) + outs(wed(10, 30)) + ins(wed(11)) + outs(wed(11, 10)), wed(12))
    assert [c.state for c in result.cycles] == ["missed", "met"]
    assert result.state == "met"


# ------------------------------------------------------------------------------------------- charter change


def test_a_charter_change_mid_conversation_keeps_the_target_at_arrival() -> None:
    before = make_charter()  # vip 30
    after = make_charter(**{"sla.segments.vip": 20})
    saved = [(paris(2026, 1, 1), before), (wed(9, 10), after)]  # the VIP target changes at 09:10
    vip = SlaSubject("x-other", "public", tags=("vip",))
    arrival = wed(9)

    in_force = charter_in_force(saved, arrival)
    result = evaluate(ins(arrival), vip, in_force, wed(9, 25))
    assert result is not None
    assert (result.target.minutes, result.due_at, result.state) == (30, wed(9, 30), "at_risk")  # 25 of 30

    # The same through targets stored at arrival, evaluated later with the new charter's hours.
    stored = targets_for(before, "x-other", "public", None, ["vip"])
    again = evaluate_targets(ins(arrival), stored, after, wed(9, 25))
    assert again is not None and (again.due_at, again.state) == (wed(9, 30), "at_risk")

    # A conversation arriving after the change gets 20 minutes.
    late = evaluate(ins(wed(9, 15)), vip, charter_in_force(saved, wed(9, 15)), wed(9, 25))
    assert late is not None and (late.target.minutes, late.due_at) == (20, wed(9, 35))


def test_charter_in_force_before_the_first_version_is_the_earliest() -> None:
    first, second = make_charter(), make_charter(**{"sla.segments.vip": 20})
    saved = [(wed(12), second), (wed(10), first)]
    assert charter_in_force(saved, wed(9)) is first
    assert charter_in_force(saved, wed(10)) is first
    assert charter_in_force(saved, wed(12)) is second
    with pytest.raises(ValueError, match="no charter versions"):
        charter_in_force([], wed(9))


# ---------------------------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("resolved_at", "now", "state", "elapsed"),
    [
        (wed(15), thu(10), "met", 240),  # 09-12 and 14-15
        (None, wed(17), "on_track", 360),  # 180 + 180 of 600 = 0.6
        (None, wed(19), "at_risk", 480),  # 180 + 300 of 600 = 0.8
        (None, thu(9), "at_risk", 600),  # due Thursday 09:00: 540 on Wednesday, 60 on Thursday
        (None, thu(10), "breached", 660),
        (thu(10), thu(11), "missed", 660),
        (thu(10), wed(16), "on_track", 300),  # resolved later than now: not seen yet
    ],
)
def test_resolution_clock(resolved_at: datetime | None, now: datetime, state: str, elapsed: int) -> None:
    result = run(ins(wed(9)) + outs(wed(9, 30)), now, resolved_at=resolved_at)
    assert result.resolution is not None
    assert result.resolution.due_at == thu(9)
    assert (result.resolution.state, result.resolution.elapsed) == (state, timedelta(minutes=elapsed))


# ---------------------------------------------------------------------------------------------- colour
