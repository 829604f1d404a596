"""First response, handling time, attainment and satisfaction per contact reason (issue #18.5) on the
reports' known set (tests/support/reports_seed.py), worked out by hand; `inbox report` prints them in JSON,
as text and as CSV for people (French headers and reasons)."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from inbox.charter.model import load_charter
from inbox.reports.period import parse_period
from inbox.reports.report import live_report, period_report
from inbox.reports.tables import all_tables
from inbox.store.tables import Contact, Conversation, Message
from tests.support.agent_day import add_survey
from tests.support.reports_seed import NOW, configured, report_app, seed_known_set, utc

PARIS = ZoneInfo("Europe/Paris")
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+05:30: local days start at 18:30 UTC, counted by quarter hours
REASONS = {  # J arrived on 3 March (Paris) and its reply was queued then: it counts nowhere on the 4th
    "billing_payment": "ABCJ",
    "technical_issue": "DE",
    "delivery_order": "FGH",
}
SURVEYS = {  # sent at 12:00 UTC on the 4th, answered an hour later (None: no answer)
    "A": ("csat", 5),
    "B": ("csat", 2),
    "C": ("csat", 4),
    "D": ("csat", None),
    "E": ("csat", 3),
    "I": ("nps", 9),
    "J": ("csat", 1),  # sent on the 3rd: another period's survey
}


@pytest.fixture
def config(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Path:
    folder = configured(tmp_path / "config", db_url, monkeypatch)
    ids = seed_known_set(engine, folder)
    with Session(engine) as s, s.begin():
        for reason, letters in REASONS.items():
            for letter in letters:
                conv = s.get(Conversation, ids[letter])
                assert conv is not None
                conv.reason = reason
        for letter, (kind, score) in SURVEYS.items():
            sent = utc(3, 20) if letter == "J" else utc(4, 12)  # J: 21:00 in Paris on the 3rd
            add_survey(s, ids[letter], kind, score, sent)
    return folder


def test_figures_per_reason_by_hand(engine: Engine, config: Path) -> None:
    charter = load_charter(config)
    with Session(engine) as s:
        period = parse_period("2026-03-04", NOW, PARIS)
        r = period_report(s, charter, period, NOW)
        table = all_tables(r, live_report(s, charter, NOW), {})["reason_figures"]
    # billing: A met (40 min), B missed (70), C met (25, vip): median 40, p90 the 3rd of 3 = 70; handling
    #   A 5, C 10, B 25 and 10: mean 12.5. technical: D met (165 wall-clock), E missed (20 of 15): median
    #   92.5, p90 165; handling D 10, E 15. delivery: F missed, G and H waiting, nobody answered. I has no
    #   reason and was closed unanswered.
    assert table.rows == [
        ("billing_payment", 3, 3, 40.0, 70.0, 4, 12.5, 2, 1, 0, 0, 66.7),
        ("delivery_order", 3, 0, None, None, 0, None, 0, 1, 2, 0, 0.0),
        ("technical_issue", 2, 2, 92.5, 165.0, 2, 12.5, 1, 1, 0, 0, 50.0),
        ("unclassified", 1, 0, None, None, 0, None, 0, 0, 0, 1, None),
    ]


def _report(*args: str) -> str:
    result = CliRunner().invoke(report_app(), ["report", "--period", "2026-03-04", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_inbox_report_prints_them_in_json_and_in_the_terminal(config: Path) -> None:
    rows = {row["reason"]: row for row in json.loads(_report("--format", "json"))["tables"]["reason_figures"]}
    assert set(rows) == {"billing_payment", "delivery_order", "technical_issue", "unclassified"}
    assert (rows["billing_payment"]["frt_median_min"], rows["billing_payment"]["dmt_mean_min"]) == (
        40.0,
        12.5,
    )
    # Long after that day, G and H (never answered) are missed too.
    assert (rows["delivery_order"]["missed"], rows["delivery_order"]["attainment_pct"]) == (3, 0.0)
    text = _report("--format", "table")
    assert "First response, handling time (DMT) and attainment by contact reason" in text
    line = next(x for x in text.splitlines() if x.startswith("technical_issue"))
    assert line.split()[:5] == ["technical_issue", "2", "2", "92.5", "165.0"]


def test_satisfaction_per_reason_by_hand(engine: Engine, config: Path) -> None:
    charter = load_charter(config)
    with Session(engine) as s:
        period = parse_period("2026-03-04", NOW, PARIS)
        r = period_report(s, charter, period, NOW)
        table = all_tables(r, live_report(s, charter, NOW), {})["satisfaction_by_reason"]
    # Surveys sent on the 4th (J's, sent on the 3rd, is not one of them), as the satisfaction report counts
    # them, grouped by their conversation's reason: billing A 5, B 2, C 4: 3 answers of 3, CSAT 2 of 3 at 4-5
    # = 66.7 %; technical D no answer, E 3: 1 of 2 sent (50 %), CSAT 0 of 1; I (no reason) NPS 9: one
    # promoter of one answer, NPS 100.
    assert table.columns[:2] == ("reason", "survey")
    assert table.rows == [
        ("billing_payment", "csat", 3, 3, 100.0, 66.7, None, None, None, None),
        ("technical_issue", "csat", 2, 1, 50.0, 0.0, None, None, None, None),
        ("unclassified", "nps", 1, 1, 100.0, None, 100.0, None, 1, 0),
    ]
    # the same surveys as the overall figures: 5 CSAT sent, 4 answered, 2 satisfied
    (csat,) = [g for g in r.satisfaction.overall if g.kind == "csat"]
    assert (csat.sent, csat.answered, csat.scores.csat) == (5, 4, 50.0)


def test_a_correction_moves_a_survey_to_the_reason_now(engine: Engine, config: Path) -> None:
    charter = load_charter(config)
    with Session(engine) as s, s.begin():
        eve = select(Conversation).join(Contact).where(Contact.handle == "eve")
        conv = s.exec(eve).one()  # E: technical_issue, an agent corrects it to billing
        assert conv.reason == "technical_issue"
        conv.reason = "billing_payment"
    with Session(engine) as s:
        r = period_report(s, charter, parse_period("2026-03-04", NOW, PARIS), NOW)
    rows = {(g.group, g.kind): (g.sent, g.answered, g.scores.csat) for g in r.satisfaction.by_reason}
    assert rows[("billing_payment", "csat")] == (4, 4, 50.0)  # 5, 2, 4, 3: two of four at 4-5
    assert rows[("technical_issue", "csat")] == (1, 0, None)


def test_inbox_report_gives_satisfaction_per_reason_as_json_and_french_csv(config: Path) -> None:
    rows = json.loads(_report("--format", "json"))["tables"]["satisfaction_by_reason"]
    assert [(x["reason"], x["survey"], x["csat_pct"], x["nps"]) for x in rows] == [
        ("billing_payment", "csat", 66.7, None),
        ("technical_issue", "csat", 0.0, None),
        ("unclassified", "nps", None, 100.0),
    ]
    assert set(rows[0]) == {
        "reason",
        "survey",
        "sent",
        "answered",
        "response_rate_pct",
        "csat_pct",
        "nps",
        "ces_mean",
        "promoters",
        "detractors",
    }
    csv = _report("--format", "csv", "--table", "satisfaction_by_reason", "--language", "fr").splitlines()
    assert csv[0].startswith("Motif,Enquête,Envoyées,")
    assert csv[1].startswith("Facturation et paiement,CSAT,3,3,100.0,66.7")
    assert csv[3].startswith("Non classé,NPS,1,1,100.0,,100.0")
    text = _report("--format", "table")
    assert "Satisfaction by contact reason" in text


def _message_reasons(engine: Engine, reasons: dict[str, str]) -> None:
    """Every message of the conversation of each handle gets that reason (the survey answer too)."""
    with Session(engine) as s, s.begin():
        for handle, reason in reasons.items():
            conv = s.exec(select(Conversation.id).join(Contact).where(Contact.handle == handle)).one()
            s.execute(update(Message).where(col(Message.conversation_id) == conv).values(reason=reason))


def test_the_reason_mix_per_day_and_channel_by_hand(engine: Engine, config: Path) -> None:
    charter = load_charter(config)
    _message_reasons(engine, {"jon": "billing_payment", "ann": "billing_payment", "dan": "technical_issue"})
    with Session(engine) as s:
        both = period_report(s, charter, parse_period("2026-03-03..2026-03-04", NOW, PARIS), NOW)
        mastodon = period_report(s, charter, parse_period("2026-03-04", NOW, PARIS), NOW, "mastodon-acme")
        india = period_report(s, charter, parse_period("2026-03-04", NOW, KOLKATA), NOW, "x-acme")
        table = all_tables(both, live_report(s, charter, NOW), {})["reason_by_day"]
    # 3 March in Paris: J's message (23:30) and its survey answer (22:00), both billing: 2 of 2 on x-acme.
    assert table.columns == ("day", "channel", "reason", "messages", "share_pct")
    assert [row for row in table.rows if row[0] == "2026-03-03"] == [
        ("2026-03-03", "x-acme", "billing_payment", 2, 100.0)
    ]
    # 4 March on mastodon-acme: D at 06:00 (technical) and H at 12:40, unclassified: half each.
    assert [(d.day.isoformat(), d.reason, d.messages, d.share) for d in mastodon.reason_days] == [
        ("2026-03-04", "technical_issue", 1, 0.5),
        ("2026-03-04", "unclassified", 1, 0.5),
    ]
    # In Kolkata, 4 March runs from 3 March 18:30 UTC: J (22:30, its answer 21:00) and A (23:30, its answer
    # 13:00 on the 4th) are all billing messages of that day.
    billing = [d for d in india.reason_days if d.reason == "billing_payment"]
    assert [(d.day.isoformat(), d.messages) for d in billing] == [("2026-03-04", 4)]
    # the days add up to the period's mix
    per_reason: dict[tuple[str, str], int] = {}
    for d in both.reason_days:
        per_reason[(d.channel, d.reason)] = per_reason.get((d.channel, d.reason), 0) + d.messages
    assert per_reason == {(m.channel, m.reason): m.messages for m in both.reasons}
