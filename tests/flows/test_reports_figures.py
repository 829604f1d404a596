"""Dashboard figures on the known set (tests/support/reports_seed.py), each worked out by hand below."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.model import Charter, load_charter
from inbox.reports.period import Period, parse_period
from inbox.reports.report import (
    LiveReport,
    PeriodReport,
    attainment_windows,
    judged_conversations,
    live_report,
    period_report,
)
from inbox.reports.tables import all_tables
from tests.support.reports_seed import NOW, seed_known_set, write_config

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def known(engine: Engine, tmp_path: Path) -> Iterator[tuple[Engine, Charter, dict[str, int]]]:
    config = write_config(tmp_path / "config")
    ids = seed_known_set(engine, config)
    yield engine, load_charter(config), ids


def reports(
    known: tuple[Engine, Charter, dict[str, int]], spec: str = "2026-03-04", channel: str | None = None
) -> tuple[PeriodReport, LiveReport]:
    engine, charter, _ = known
    with Session(engine) as session:
        period = parse_period(spec, NOW, PARIS)
        return period_report(session, charter, period, NOW, channel), live_report(
            session, charter, NOW, channel
        )


def paris(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=PARIS)


def judged(
    known: tuple[Engine, Charter, dict[str, int]], spec: str = "2026-03-04", channel: str | None = None
) -> dict[int, str]:
    """Conversation id -> outcome, judged one by one in Python (the drill-down path)."""
    engine, charter, _ = known
    with Session(engine) as session:
        period = parse_period(spec, NOW, PARIS)
        return {x.facts.id: x.outcome for x in judged_conversations(session, charter, period, NOW, channel)}


def test_the_period_is_the_local_day(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, _ = reports(known)
    ids = known[2]
    # J's first message is 23:30 Paris on 3 March: outside. A's is 00:30 Paris on 4 March (23:30 UTC): inside.
    assert sorted(judged(known)) == sorted(ids[k] for k in "ABCDEFGHI")
    assert r.conversations == 9
    assert r.period == Period("2026-03-04", date(2026, 3, 4), date(2026, 3, 4), PARIS)


def test_sla_attainment_overall_and_by_channel(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, _ = reports(known)
    letter = {v: k for k, v in known[2].items()}
    outcome = {letter[conv]: result for conv, result in judged(known).items()}
    # A 40 min of 60: met. B 70 of 60: missed. C 25 of 30 (vip): met. D 45 business minutes of 60 (arrived
    # 06:00 Paris, closed; answered 08:45): met. E 20 of 15 (critical): missed. F unanswered, due 12:00, now
    # 12:30: missed. G, H unanswered, not yet due: waiting. I resolved without an answer: left out.
    assert outcome == {
        "A": "met",
        "B": "missed",
        "C": "met",
        "D": "met",
        "E": "missed",
        "F": "missed",
        "G": "waiting",
        "H": "waiting",
        "I": "closed_unanswered",
    }
    a = r.attainment
    assert (a.met, a.missed, a.waiting, a.closed_unanswered) == (3, 3, 2, 1)
    assert a.rate == 3 / 6 and a.goal == 1.0
    by_channel = r.attainment_by_channel
    assert list(by_channel) == ["mastodon-acme", "x-acme"]
    assert by_channel["x-acme"].rate == 2 / 5  # met A, C; missed B, E, F
    assert by_channel["mastodon-acme"].rate == 1 / 1  # met D; H waiting
    assert r.attainment_by_day == {date(2026, 3, 4): a}


def test_first_response_time_median_and_p90(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, _ = reports(known)
    # Wall-clock waits: E 20, C 25, A 40, B 70, D 165 (05:00 -> 07:45 UTC, night included).
    t = r.response_times
    assert (t.answered, t.median_minutes, t.p90_minutes) == (5, 40, 165)  # p90: ceil(0.9 x 5) = 5th
    x = r.response_times_of("x-acme")
    assert (x.answered, x.median_minutes, x.p90_minutes) == (4, (25 + 40) / 2, 70)  # ceil(3.6) = 4th
    m = r.response_times_of("mastodon-acme")
    assert (m.median_minutes, m.p90_minutes) == (165, 165)


def test_first_contact_resolution(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, _ = reports(known)
    # Resolved and answered: A (one reply, no follow-up: yes), B (two replies: no), C (the customer wrote
    # "thanks" after the one reply: no), D (yes). I was resolved without an answer: not counted.
    f = r.fcr
    assert (f.first_contact, f.resolved_answered, f.rate) == (2, 4, 0.5)


def test_volume_per_channel_per_local_hour(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, _ = reports(known)
    got = [(v.hour, v.channel, v.messages) for v in r.volume]
    assert got == [
        (paris(4, 0), "x-acme", 1),  # A 00:30
        (paris(4, 6), "mastodon-acme", 1),  # D 06:00
        (paris(4, 9), "x-acme", 1),  # B 09:20
        (paris(4, 10), "x-acme", 4),  # C 10:00, I 10:30, B again 10:40, C again 10:40
        (paris(4, 11), "x-acme", 1),  # E 11:00
        (paris(4, 12), "mastodon-acme", 1),  # H 12:40
        (paris(4, 12), "x-acme", 2),  # F 12:00, G 12:50
    ]
    assert r.messages == 11


def test_sentiment_share_and_trend(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, _ = reports(known)
    # negative D, E, F; neutral A, B, B, G, H; positive C, C; unclassified I: 11 messages.
    shares = {s.sentiment: (s.messages, s.share) for s in r.sentiment}
    assert shares == {
        "negative": (3, 3 / 11),
        "neutral": (5, 5 / 11),
        "positive": (2, 2 / 11),
        "unclassified": (1, 1 / 11),
    }
    two_days, _ = reports(known, "2026-03-03..2026-03-04")
    by_day = {
        day: {s.sentiment: s.messages for s in shares} for day, shares in two_days.sentiment_days.items()
    }
    assert by_day[date(2026, 3, 3)] == {"negative": 1, "neutral": 0, "positive": 0, "unclassified": 0}  # J
    assert by_day[date(2026, 3, 4)] == {"negative": 3, "neutral": 5, "positive": 2, "unclassified": 1}
    assert two_days.sentiment_days[date(2026, 3, 3)][0].share == 1.0
    assert two_days.attainment_by_day[date(2026, 3, 3)].rate == 1.0  # J: 40 minutes, met


def test_agents_replies_resolutions_and_handling_time(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, _ = reports(known)
    rows = {
        a.agent: (a.replies_sent, a.resolved, a.replies_measured, a.handling_median_minutes) for a in r.agents
    }
    # alice: sent A 00:10, C 09:25, D 07:45 and J 23:10 UTC on 3 March (00:10 Paris on the 4th): 4.
    #   Handling: A 00:00 -> 00:05 = 5, C 09:10 -> 09:20 = 10, D 07:30 -> 07:40 = 10 (J queued on the 3rd).
    # bruno: sent B 09:30, B 09:52, E 10:20: 3. Handling: B 09:00 -> 09:25 = 25; the second B reply
    #   starts at the customer's 09:40 message (after his opening and his first reply) -> 09:50 = 10;
    #   E 10:05 -> 10:20 = 15.
    # maya: resolved I, no replies.
    assert rows == {"alice": (4, 3, 3, 10), "bruno": (3, 1, 3, 15), "maya": (0, 1, 0, None)}


def test_live_backlog_at_risk_and_breached(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    _, live = reports(known)
    ids = known[2]
    # Waiting at 12:30: F, G (x-acme, normal), H (mastodon-acme, high). C got "thanks" after its answer and a
    # new clock, but is resolved: not waiting. E was answered: no clock.
    assert [(b.channel, b.urgency, b.conversations) for b in live.backlog] == [
        ("mastodon-acme", "high", 1),
        ("x-acme", "normal", 2),
    ]
    assert live.waiting == 3
    states = {c.conversation.id: (c.state, round(c.fraction, 4)) for c in live.clocks}
    assert states == {
        ids["F"]: ("breached", 1.5),  # 90 of 60 minutes
        ids["H"]: ("at_risk", round(50 / 60, 4)),
        ids["G"]: ("on_track", round(40 / 60, 4)),
    }
    assert [c.conversation.id for c in live.at_risk] == [ids["H"]]
    assert [c.conversation.id for c in live.breached] == [ids["F"]]


def test_attainment_windows_today_7_and_30_days(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    engine, charter, _ = known
    with Session(engine) as session:
        windows = attainment_windows(session, charter, NOW)
    # today = 4 March: 3 of 6. 7 and 30 days add J (3 March, met): 4 of 7.
    assert {k: (a.met, a.judged) for k, a in windows.items()} == {
        "today": (3, 6),
        "7d": (4, 7),
        "30d": (4, 7),
    }


def test_channel_filter(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    r, live = reports(known, channel="mastodon-acme")
    ids = known[2]
    assert sorted(judged(known, channel="mastodon-acme")) == sorted([ids["D"], ids["H"]])
    assert r.conversations == 2
    assert r.attainment.rate == 1.0 and r.messages == 2
    assert [(a.agent, a.replies_sent, a.resolved, a.handling_median_minutes) for a in r.agents] == [
        ("alice", 1, 1, 10)
    ]
    assert [c.conversation.id for c in live.clocks] == [ids["H"]]
    nothing, quiet = reports(known, channel="no-such-channel")
    assert not nothing.conversations and nothing.messages == 0 and not quiet.clocks and not nothing.agents


def test_tables_carry_the_same_figures(known: tuple[Engine, Charter, dict[str, int]]) -> None:
    engine, charter, ids = known
    r, live = reports(known)
    with Session(engine) as session:
        tables = all_tables(r, live, attainment_windows(session, charter, NOW))
    summary = {row[0]: row[1] for row in tables["summary"].rows}
    assert summary["sla_attainment_pct"] == 50.0 and summary["fcr_pct"] == 50.0
    assert summary["first_response_median_min"] == 40 and summary["first_response_p90_min"] == 165
    assert (summary["waiting_now"], summary["at_risk_now"], summary["breached_now"]) == (3, 1, 1)
    channels = {row["channel"]: row for row in tables["attainment_by_channel"].records()}
    assert channels["x-acme"]["attainment_pct"] == 40.0 and channels["all"]["conversations"] == 9
    assert channels["x-acme"]["frt_median_min"] == 32.5
    at_risk = tables["at_risk"].records()
    assert [(row["conversation"], row["customer"], row["due"], row["minutes_left"]) for row in at_risk] == [
        (ids["H"], "hal", "2026-03-04 13:40", 10.0)
    ]
    assert tables["attainment_windows"].records()[1]["attainment_pct"] == round(4 / 7 * 100, 1)
