"""Every charter target, the service-level goals and the seeds' contact-centre figures, worked out by hand.

Wednesday 4 March 2026, times UTC (Paris is UTC+1; the team opens Mon-Fri 08-12 and 14-20 Paris). Charter:
public and private first response 60, next response 30, resolution 120 minutes (24/7); critical 15 for
first and next responses; goals: social 90 % within 60 min (24/7, public and private), critical 100 % within
15 business minutes. Now: 12:30.

    conv  channel        kind     urgency   what happened (agent)
    A     x-acme         public   normal    in 09:00; view 09:10, queued 09:15, sent 09:20; in 09:30; view
                                            09:40, queued 09:45, sent 09:50; resolved 10:00 (alice)
    B     x-acme         private  normal    in 09:00; view 10:20, queued 10:25, sent 10:30; in 10:40; view
                                            11:10, queued 11:15, sent 11:20; resolved 11:30 (bruno)
    C     x-acme         public   critical  in 10:00; view 10:05, queued 10:08, sent 10:10; in 11:00 (alice)
    D     x-acme         public   normal    in 12:00; the out-of-hours message (automatic) 12:01
    E     x-acme         public   normal    in 08:00; resolved 08:10 without an answer (maya)
    F     mastodon-acme  public   normal    in 09:00; view 09:02, a private reply queued 09:04, sent 09:05;
                                            resolved 09:30 (bruno)
    G     x-acme         private  critical  in 10:30; view 10:50, queued 10:55, sent 11:00; resolved 11:10

First response: met A (20), C (10 of 15), F (5); missed B (90), G (30 of 15); waiting D; E not judged: 3/5.
Next response: A met (20 of 30); B missed (40); C missed (11:00 unanswered, due 11:15): 1/3.
Resolution: A met (60), B missed (150), C missed (open past 12:00), D waiting, F met (30), G met (40): 3/5.
Goal social: within A, C, F, G; late B; pending D (30 of 60 min) -> 4/5 = 80 % < 90: not met; x-acme 3/4,
mastodon-acme 1/1 met. Goal critical: C within (10 business min), G late (30) -> 50 %: not met.
Answer rate 5/7; moved to private 1 (F); replies 7 by people, 1 automatic; first response wall and business
minutes 20, 90, 10, 5, 30: median 20, 90th percentile 90; DMT (5+5+5+5+3+2+5)/7 = 4.3; DMC (60+150+30+40)/4
= 70.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import Charter, parse_charter
from inbox.reports.contact_kpis import ContactRow
from inbox.reports.period import Period
from inbox.reports.report import LiveReport, PeriodReport, period_report, service_goals
from inbox.reports.tables import Table, all_tables
from inbox.store.tables import Conversation
from tests.support.reports_seed import CHARTER_TOML, Story

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 4, 12, 30, tzinfo=UTC)
DAY = Period("2026-03-04", NOW.date(), NOW.date(), PARIS)
SLA = """
[sla]
team = "care"
[sla.default.public]
first_response = { minutes = 60 }
next_response = { minutes = 30 }
resolution = { minutes = 120 }
[sla.default.private]
first_response = { minutes = 60 }
next_response = { minutes = 30 }
resolution = { minutes = 120 }
[sla.default.listening]
first_response = { minutes = 240 }
[sla.urgency]
critical = 15
[sla.goals.social]
percent = 90
within_minutes = 60
kinds = ["public", "private"]
[sla.goals.critical]
percent = 100
within_minutes = 15
clock = "business_hours"
urgencies = ["critical"]
"""


def make_charter() -> Charter:
    """The report seed's team and hours (tests/support/reports_seed.py) with the targets and goals above."""
    data = tomllib.loads(CHARTER_TOML)
    data["sla"] = tomllib.loads(SLA)["sla"]
    return parse_charter(data)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 4, hour, minute, tzinfo=UTC)


def seed(engine: Engine, charter: Charter) -> None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        s.channel("mastodon-acme", "mastodon")
        for name, role in (("alice", "agent"), ("bruno", "agent"), ("maya", "manager")):
            s.user(name, role)
        a, b, c, d, e, g = (s.conversation("x-acme", h) for h in ("ann", "ben", "cat", "dan", "eve", "gus"))
        b_conv, g_conv = (session.get(Conversation, i) for i in (b, g))
        assert b_conv is not None and g_conv is not None
        b_conv.visibility, b_conv.kind, g_conv.visibility, g_conv.kind = "private", "dm", "private", "dm"
        f = s.conversation("mastodon-acme", "fay")
        s.customer(a, at(9))
        s.view(a, "alice", at(9, 10))
        s.reply(a, "alice", at(9, 15), at(9, 20))
        s.customer(a, at(9, 30))
        s.view(a, "alice", at(9, 40))
        s.reply(a, "alice", at(9, 45), at(9, 50))
        s.resolve(a, "alice", at(10))
        s.customer(b, at(9))
        s.view(b, "bruno", at(10, 20))
        s.reply(b, "bruno", at(10, 25), at(10, 30))
        s.customer(b, at(10, 40))
        s.view(b, "bruno", at(11, 10))
        s.reply(b, "bruno", at(11, 15), at(11, 20))
        s.resolve(b, "bruno", at(11, 30))
        s.customer(c, at(10), urgency="critical")
        s.view(c, "alice", at(10, 5))
        s.reply(c, "alice", at(10, 8), at(10, 10))
        s.customer(c, at(11))
        s.customer(d, at(12))
        s.automatic(d, at(12, 1))
        s.customer(e, at(8))
        s.resolve(e, "maya", at(8, 10))
        s.customer(f, at(9))
        s.view(f, "bruno", at(9, 2))
        s.private_reply(f, "bruno", at(9, 4), at(9, 5))
        s.resolve(f, "bruno", at(9, 30))
        s.customer(g, at(10, 30), urgency="critical")
        s.view(g, "bruno", at(10, 50))
        s.reply(g, "bruno", at(10, 55), at(11))
        s.resolve(g, "bruno", at(11, 10))


@pytest.fixture
def report(engine: Engine) -> Iterator[PeriodReport]:
    charter = make_charter()
    seed(engine, charter)
    with Session(engine) as session:
        yield period_report(session, charter, DAY, NOW)


def test_every_charter_target_per_channel_kind_and_urgency(report: PeriodReport) -> None:
    rows = {(t.metric, t.channel, t.kind, t.urgency): (t.met, t.missed, t.waiting) for t in report.targets}
    assert rows == {
        ("first_response", "mastodon-acme", "public", "normal"): (1, 0, 0),
        ("first_response", "x-acme", "private", "critical"): (0, 1, 0),
        ("first_response", "x-acme", "private", "normal"): (0, 1, 0),
        ("first_response", "x-acme", "public", "critical"): (1, 0, 0),
        ("first_response", "x-acme", "public", "normal"): (1, 0, 1),
        ("next_response", "x-acme", "private", "normal"): (0, 1, 0),
        ("next_response", "x-acme", "public", "critical"): (0, 1, 0),
        ("next_response", "x-acme", "public", "normal"): (1, 0, 0),
        ("resolution", "mastodon-acme", "public", "normal"): (1, 0, 0),
        ("resolution", "x-acme", "private", "critical"): (1, 0, 0),
        ("resolution", "x-acme", "private", "normal"): (0, 1, 0),
        ("resolution", "x-acme", "public", "critical"): (0, 1, 0),
        ("resolution", "x-acme", "public", "normal"): (1, 0, 1),
    }
    table = {
        r["metric"]: r for r in all_tables_of(report)["charter_targets"].records() if r["channel"] == "all"
    }
    assert [table[m]["attainment_pct"] for m in ("first_response", "next_response", "resolution")] == [
        60.0,
        33.3,
        60.0,
    ]


def all_tables_of(report: PeriodReport) -> dict[str, Table]:
    return all_tables(report, LiveReport(None, NOW, [], []), {})


def test_goals_met_or_not_overall_and_per_channel(report: PeriodReport) -> None:
    found = {(g.name, g.channel): (g.within, g.late, g.pending, g.met) for g in report.goals}
    assert found == {
        ("social", "all"): (4, 1, 1, False),
        ("social", "mastodon-acme"): (1, 0, 0, True),
        ("social", "x-acme"): (3, 1, 1, False),
        ("critical", "all"): (1, 1, 0, False),
        ("critical", "x-acme"): (1, 1, 0, False),
    }
    social = next(g for g in report.goals if (g.name, g.channel) == ("social", "all"))
    assert social.attainment == 0.8


def test_the_dashboard_s_goal_function_agrees(engine: Engine, report: PeriodReport) -> None:
    charter = make_charter()
    with Session(engine) as session:
        assert service_goals(session, charter, DAY, NOW) == report.goals


def row(report: PeriodReport, channel: str, kind: str) -> ContactRow:
    return next(c for c in report.contacts if (c.channel, c.kind) == (channel, kind))


def test_the_seeds_contact_centre_figures(report: PeriodReport) -> None:
    total = row(report, "all", "all")
    assert (total.arrived, total.answered, total.moved_to_private) == (7, 5, 1)
    assert total.answer_rate == 5 / 7
    assert (total.replies_sent, total.automatic_sent) == (7, 1)
    assert (total.frt_wall_median, total.frt_business_median, total.frt_business_p90) == (20, 20, 90)
    assert round(total.dmt or 0, 4) == round(30 / 7, 4)
    assert total.dmc == 70
    public = row(report, "x-acme", "public")
    assert (public.arrived, public.answered, public.replies_sent, public.automatic_sent) == (4, 2, 3, 1)
    assert (public.frt_wall_median, public.dmc) == (15, 60)
    assert round(public.dmt or 0, 4) == round(13 / 3, 4)
    private = row(report, "x-acme", "private")
    assert (private.answer_rate, private.frt_business_median, private.dmt, private.dmc) == (1.0, 60, 5, 95)
    moved = row(report, "mastodon-acme", "public")
    assert (moved.moved_to_private, moved.dmt, moved.dmc) == (1, 2, 30)


def test_business_time_differs_from_wall_time_after_closing(engine: Engine) -> None:
    """A mention at 18:30 Paris answered at 08:30 the next morning: 14 h on the wall, 2 h in business time
    (18:30-20:00 that evening, 08:00-08:30 the next morning)."""
    charter = make_charter()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        s.user("alice")
        late = s.conversation("x-acme", "night")
        s.customer(late, at(17, 30))
        s.reply(
            late, "alice", datetime(2026, 3, 5, 7, 25, tzinfo=UTC), datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
        )
    with Session(engine) as session:
        found = period_report(session, charter, DAY, datetime(2026, 3, 5, 9, tzinfo=UTC))
    total = row(found, "all", "all")
    assert (total.frt_wall_median, total.frt_business_median) == (14 * 60, 120)
