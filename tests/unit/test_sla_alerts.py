"""The SLA engine's queue colours, business time left and escalation alerts (the test charter: see
tests/unit/test_sla_engine.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from inbox.charter.sla import (
    SlaEvent,
    SlaSubject,
    alerts_due,
    due_at,
    evaluate,
    queue_state_colour,
    target_for,
    time_left,
)
from tests.support.charter import make_charter
from tests.support.sla import CHARTER, fri, ins, mon, outs, paris, run, wed


@pytest.mark.parametrize(
    ("remaining", "minutes", "colour"),
    [
        (timedelta(minutes=60), 60, "green"),
        (timedelta(minutes=15), 60, "green"),  # exactly 25% left
        (timedelta(minutes=14, seconds=59), 60, "amber"),
        (timedelta(0), 60, "amber"),
        (timedelta(seconds=-1), 60, "red"),
        (timedelta(minutes=4), 15, "green"),  # 25% of 15 is 3:45
        (timedelta(minutes=3), 15, "amber"),
    ],
)
def test_queue_state_colour(remaining: timedelta, minutes: int, colour: str) -> None:
    target = target_for(CHARTER, "x-other", "public", None, [])
    assert target is not None
    target = type(target)(target.metric, minutes, target.clock, target.team, target.rule)
    assert queue_state_colour(remaining, target) == colour


@pytest.mark.parametrize(
    ("now", "left", "colour"),
    [
        (fri(19, 45), 45, "green"),  # Friday 19:45: 15 min on Friday + 30 on Monday
        (paris(2026, 1, 17, 12, 0), 30, "green"),  # Saturday: the clock stands still
        (mon(8, 20), 10, "amber"),
        (mon(8, 40), -10, "red"),
    ],
)
def test_time_left_counts_business_time(now: datetime, left: int, colour: str) -> None:
    target = target_for(CHARTER, "x-other", "public", None, [])
    assert target is not None
    due = due_at(CHARTER, target, fri(19, 30))
    assert due == mon(8, 30)
    remaining = time_left(CHARTER, target, due, now)
    assert remaining == timedelta(minutes=left)
    assert queue_state_colour(remaining, target) == colour


# ---------------------------------------------------------------------------------------------- alerts

AGAIN = ins(wed(9)) + outs(wed(9, 20)) + ins(wed(10))  # answered, then the customer writes again


@pytest.mark.parametrize(
    ("events", "now", "urgency", "sent", "expected"),
    [
        (ins(wed(9)), wed(9, 30), None, set(), []),
        (ins(wed(9)), wed(9, 50), None, set(), ["at_risk"]),
        (ins(wed(9)), wed(9, 50), None, {"at_risk"}, []),
        (ins(wed(9)), wed(10, 30), None, set(), ["breached"]),  # no late at-risk alert
        (ins(wed(9)), wed(10, 30), None, {"at_risk"}, ["breached"]),
        (ins(wed(9)), wed(10, 30), None, {"at_risk", "breached"}, []),
        (ins(wed(9)), wed(9, 1), "critical", set(), ["critical"]),
        (ins(wed(9)), wed(9, 1), "critical", {"critical"}, []),
        (ins(wed(9)), wed(9, 20), "critical", set(), ["critical", "breached"]),  # 15-minute target
        (ins(wed(9)) + outs(wed(9, 5)), wed(9, 20), "critical", set(), []),  # answered: nothing to alert
        (AGAIN, wed(10, 25), None, {"at_risk", "breached"}, ["at_risk#2"]),  # the second clock runs late
        (AGAIN, wed(10, 40), None, {"at_risk", "breached", "at_risk#2"}, ["breached#2"]),
    ],
)  # fmt: skip
def test_alerts_due(
    events: list[SlaEvent], now: datetime, urgency: str | None, sent: set[str], expected: list[str]
) -> None:
    result = run(events, now, SlaSubject("x-other", "public", urgency=urgency))
    assert alerts_due(result, sent, CHARTER) == expected


@pytest.mark.parametrize(
    ("switches", "now", "expected"),
    [
        ({"escalation.alert_on_at_risk": False}, wed(9, 50), []),
        ({"escalation.alert_on_at_risk": False}, wed(10, 30), ["breached"]),
        ({"escalation.alert_on_breach": False}, wed(10, 30), ["at_risk"]),
        ({"escalation.alert_on_critical": False}, wed(9, 1), []),
    ],
)
def test_alerts_follow_the_charter_switches(
    switches: dict[str, bool], now: datetime, expected: list[str]
) -> None:
    charter = make_charter(**switches)
    urgency = "critical" if now == wed(9, 1) else None
    result = evaluate(ins(wed(9)), SlaSubject("x-other", "public", urgency=urgency), charter, now)
    assert result is not None
    assert alerts_due(result, set(), charter) == expected


def test_a_job_polling_every_five_minutes_sends_each_alert_once() -> None:
    subject = SlaSubject("x-other", "public", urgency="critical", tags=("vip",))  # 15-minute target
    events = ins(wed(9))
    sent: list[str] = []
    for step in range(0, 13):  # 09:00 … 10:00
        result = run(events, wed(9, 0) + timedelta(minutes=5 * step), subject)
        sent += alerts_due(result, set(sent), CHARTER)
    # 09:00 critical; 09:15 is 100% of the target (at risk, not yet breached); 09:20 breached.
    assert sent == ["critical", "at_risk", "breached"]
