"""The report judges next responses and resolution with the conversation's contact reason, as the queue and
the alerts do (docs/kpis.md, "One charter judges a conversation everywhere"): its ``[sla.reasons]`` override
and its ``[reasons.*] urgency`` bump.

Wednesday 4 March 2026, times UTC, the report seed's charter (public 60 min 24/7, critical 15) with a
resolution target of 240 minutes and:
- ``[sla.reasons] account_access = 30``;
- ``[sla.reasons] billing_payment = { minutes = 120, metrics = ["resolution"] }``;
- ``[reasons.delivery_order] urgency = "critical"`` (15 minutes for first and next responses).

    conv  reason          what happened                                    judged
    A     account_access  in 10:00, answered 10:20; in 11:00, answered     next response missed (due 11:30;
                          11:45; resolved 12:00                            60 min without the reason: met)
    B     billing_payment in 10:00, answered 10:10, resolved 13:00         resolution missed (due 12:00;
                                                                           240 min: met)
    C     delivery_order  in 10:00, answered 10:10; in 11:00, answered     next response missed (due 11:15;
                          11:20; resolved 12:00                            60 min: met)
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import parse_charter
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import CharterBook
from inbox.reports.period import Period
from inbox.reports.report import live_report, period_report
from inbox.reports.targets_kpis import by_metric
from inbox.store.tables import Conversation
from tests.support.reports_seed import CHARTER_TOML, Story

NOW = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)
DAY = Period("2026-03-04", NOW.date(), NOW.date(), ZoneInfo("Europe/Paris"))
REASONS = """
[sla.default.public]
first_response = { minutes = 60 }
resolution = { minutes = 240 }

[sla.reasons]
account_access = 30
billing_payment = { minutes = 120, metrics = ["resolution"] }

[reasons.delivery_order]
urgency = "critical"
"""


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 4, hour, minute, tzinfo=UTC)


def test_next_responses_and_resolution_follow_the_reason_s_target(engine: Engine) -> None:
    data = tomllib.loads(CHARTER_TOML)
    extra = tomllib.loads(REASONS)
    data["sla"]["default"]["public"] = extra["sla"]["default"]["public"]
    data["sla"]["reasons"], data["reasons"] = extra["sla"]["reasons"], extra["reasons"]
    charter = parse_charter(data)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        s.user("alice")
        ids = {}
        for name, reason in (("ann", "account_access"), ("ben", "billing_payment"), ("cy", "delivery_order")):
            ids[name] = s.conversation("x-acme", name)
            conv = session.get(Conversation, ids[name])
            assert conv is not None
            conv.reason = reason
            s.customer(ids[name], at(10))
        s.reply(ids["ann"], "alice", at(10, 15), at(10, 20))
        s.customer(ids["ann"], at(11))
        s.reply(ids["ann"], "alice", at(11, 40), at(11, 45))
        s.reply(ids["ben"], "alice", at(10, 5), at(10, 10))
        s.resolve(ids["ben"], "alice", at(13))
        s.reply(ids["cy"], "alice", at(10, 5), at(10, 10))
        s.customer(ids["cy"], at(11))
        s.reply(ids["cy"], "alice", at(11, 15), at(11, 20))
        s.resolve(ids["ann"], "alice", at(12))
        s.resolve(ids["cy"], "alice", at(12))
    with Session(engine) as session:
        totals = by_metric(period_report(session, charter, DAY, NOW).targets)
    nxt, resolution = totals["next_response"], totals["resolution"]
    assert (nxt.met, nxt.missed) == (0, 2)  # A late by 15 minutes, C by 5
    assert (resolution.met, resolution.missed) == (2, 1)  # A and C at 12:00 (due 14:00); B late


def test_the_dashboard_s_at_risk_list_uses_the_reason_s_clock_like_the_queue(engine: Engine) -> None:
    """x-acme public: 60 business minutes (the team closes at 20:00 Paris); ``account_access``: 30 minutes
    24/7. Monday 2 November 2026, ann writes at 19:50 Paris (due 20:20); at 20:05, 15 of 30 minutes have
    passed: on track (at risk from 75 %). On the business clock it would be 10 of 10 minutes: at risk."""
    data = tomllib.loads(CHARTER_TOML)
    data["sla"]["channels"]["x-acme"] = {
        "public": {"first_response": {"minutes": 60, "clock": "business_hours"}}
    }
    data["sla"]["reasons"] = {"account_access": {"minutes": 30, "clock": "24/7"}}
    charter = parse_charter(data)
    paris = ZoneInfo("Europe/Paris")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        ann = s.conversation("x-acme", "ann")
        conv = session.get(Conversation, ann)
        assert conv is not None
        conv.reason = "account_access"
        s.customer(ann, datetime(2026, 11, 2, 19, 50, tzinfo=paris))
    now = datetime(2026, 11, 2, 20, 5, tzinfo=paris)
    with Session(engine) as session:
        [live] = live_report(session, charter, now).clocks
        [queue] = open_clocks(session, CharterBook(charter), now)
    assert live.due == queue.due_at == datetime(2026, 11, 2, 20, 20, tzinfo=paris)
    assert (live.state, live.fraction) == ("on_track", 0.5)
    assert queue.state == live.state
