"""A next response is judged by the target its clock ran on in the queue: a critical follow-up gets the
critical target, even when the conversation arrived calm (charter: urgency overrides apply to first and
next responses).

Charter of ``test_reports_charter_figures``: next response 30 minutes, critical 15 (24/7). Ann writes at
09:00 (normal), answered 09:10; she writes again at 10:00, critical ("my account was hacked"): the queue's
clock is due 10:15. Answered at 10:20: the queue showed it late at 10:16 and the report said met (judged
on 30 minutes from the first message's urgency); it is missed. Answered at 10:12 it is met. The rows stay
grouped under the first message's urgency.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.reports.report import live_report, period_report
from tests.flows.test_reports_charter_figures import DAY, NOW, at, make_charter
from tests.support.reports_seed import Story

CHARTER = make_charter()


def story(engine: Engine, follow_up: str, answered: datetime | None) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, CHARTER)
        s.channel("x-acme", "x")
        s.user("alice")
        conv = s.conversation("x-acme", "ann")
        s.customer(conv, at(9))
        s.reply(conv, "alice", at(9, 5), at(9, 10))
        s.customer(conv, at(10), urgency=follow_up, text="my account was hacked")
        if answered is not None:
            s.reply(conv, "alice", answered - timedelta(minutes=1), answered)


def next_response(engine: Engine) -> tuple[str, int, int]:
    with Session(engine) as session:
        rows = [t for t in period_report(session, CHARTER, DAY, NOW).targets if t.metric == "next_response"]
    assert len(rows) == 1
    return rows[0].urgency, rows[0].met, rows[0].missed


def test_the_queue_runs_the_critical_follow_up_on_15_minutes(engine: Engine) -> None:
    story(engine, "critical", None)
    with Session(engine) as session:
        clocks = live_report(session, CHARTER, at(10, 16)).clocks
    assert [(c.due, c.state) for c in clocks] == [(at(10, 15), "breached")]


@pytest.mark.parametrize(
    ("follow_up", "answered", "expected"),
    [
        ("critical", at(10, 20), ("normal", 0, 1)),  # 20 minutes of 15
        ("critical", at(10, 12), ("normal", 1, 0)),
        ("normal", at(10, 20), ("normal", 1, 0)),  # 20 of 30
    ],
)
def test_the_report_judges_a_next_response_on_the_target_its_clock_ran_on(
    engine: Engine, follow_up: str, answered: datetime, expected: tuple[str, int, int]
) -> None:
    story(engine, follow_up, answered)
    assert next_response(engine) == expected
