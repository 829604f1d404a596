"""``inbox report --send``: the digest posted to the charter's escalation webhook (a loopback receiver).

On the known set of tests/support/reports_seed.py (4 March 2026, now 12:30 UTC), worked out by hand:
- first response: met A (40 min), C (25 of the VIP's 30), D (business hours); missed B (70), E (critical,
  20 of 15), F (unanswered past 12:00); waiting G, H; I closed unanswered -> 3 of 6 on time;
- next response: B's second message answered in 12 min: 1 of 1; C's "thanks" after the answer was left
  unanswered when it was resolved: not judged;
- the default goal (no [sla.goals] in this charter), 100 % within 60 min: within A, C, E; late B, D
  (2 h 45 on the wall), F; pending G, H -> 50 %: not met;
- backlog now: F, G, H waiting; H at risk (50 of 60 min); F late; breaches in the period: B, E, F = 3;
- one CSAT survey sent for A, answered 5: 100 %; reasons: billing on 3 messages, delivery on 2 -> 60 %, 40 %;
  the day before (3 March, Paris) J's one message, delivery: 100 % -> billing +60 points, delivery -60;
- answer rate: A, B, C, D, E answered of the 9 arrived (J came the day before) -> 55.6 %.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, update
from sqlmodel import Session, col
from typer.testing import CliRunner

from inbox.store.tables import Message
from inbox.store.tables.enforcement import SurveyRequest
from tests.support.enforcement import WebhookReceiver
from tests.support.reports_seed import NOW, report_app, seed_known_set, utc, write_config

HOOK = "INBOX_ESCALATION_WEBHOOK_URL"


def cli() -> typer.Typer:
    return report_app()


@pytest.fixture
def seeded(
    tmp_path: Path, db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, int]]:
    folder = write_config(tmp_path / "config")
    charter = folder / "charter.toml"
    charter.write_text(
        charter.read_text().replace("[escalation]", f'[escalation]\nwebhook_url_env = "{HOOK}"')
    )
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    monkeypatch.setattr("inbox.cli.report.datetime", AtNoon)
    ids = seed_known_set(engine, folder)
    with Session(engine) as s, s.begin():
        pairs = ((ids["A"], "billing"), (ids["C"], "billing"), (ids["B"], "delivery"), (ids["J"], "delivery"))
        for conv, reason in pairs:
            s.execute(update(Message).where(col(Message.conversation_id) == conv).values(reason=reason))
        s.add(
            SurveyRequest(
                conversation_id=ids["A"],
                channel_id=1,
                kind="csat",
                status="answered",
                sent_at=utc(4, 1, 0),
                score=5,
                answered_at=utc(4, 1, 30),
                created_at=utc(4, 0, 50),
            )
        )
    yield ids


class AtNoon(datetime):
    """The command's clock at the known set's "now" (the only thing patched: the clock)."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> AtNoon:
        return cls.fromtimestamp(NOW.timestamp(), tz)


def send(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli(), ["report", "--period", "2026-03-04", "--send", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_digest_is_posted_once_with_every_figure(
    seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with WebhookReceiver() as hook:
        monkeypatch.setenv(HOOK, hook.url)
        code, out, err = send()
        assert (code, err) == (0, "")
        assert "sent to the escalation webhook" in out
        (body,) = hook.delivered()
    digest = body["digest"]
    assert digest["goals"] == [
        {
            "goal": "social",
            "percent": 100.0,
            "within_minutes": 60,
            "within": 3,
            "late": 3,
            "attainment_pct": 50.0,
            "met": False,
        }
    ]
    assert digest["targets"] == {
        "first_response": {"met": 3, "missed": 3, "waiting": 2},
        "next_response": {"met": 1, "missed": 0, "waiting": 0},
    }
    assert digest["backlog"] == {"waiting": 3, "at_risk": 1, "breached": 1}
    assert digest["breaches"] == 3
    assert digest["satisfaction"] == [
        {"survey": "csat", "sent": 1, "answered": 1, "csat_pct": 100.0, "nps": None, "ces_mean": None}
    ]
    assert digest["top_reasons"] == [
        {"reason": "billing", "messages": 3, "share_pct": 60.0, "previous_messages": 0, "change_pts": 60.0},
        {"reason": "delivery", "messages": 2, "share_pct": 40.0, "previous_messages": 1, "change_pts": -60.0},
    ]
    assert digest["compared_with"] == {"first_day": "2026-03-03", "last_day": "2026-03-03"}
    text = body["text"]
    assert "social: 50.0% within 60 min (goal 100%): :x: not met" in text
    assert "3 waiting, 1 at risk, 1 late" in text
    assert "billing 60% (+60 pts), delivery 40% (-60 pts)" in text
    assert "Change: points of share against 3 Mar 2026." in text


def test_the_digest_in_french(seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    with WebhookReceiver() as hook:
        monkeypatch.setenv(HOOK, hook.url)
        assert send("--language", "fr")[0] == 0
        (body,) = hook.delivered()
    assert "Objectifs de niveau de service" in body["text"] and "50,0\u00a0%" in body["text"]
    assert "billing 60\u00a0% (+60\u00a0pts), delivery 40\u00a0% (-60\u00a0pts)" in body["text"]


def test_no_webhook_is_an_error_that_names_the_variable(
    seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(HOOK, raising=False)
    code, _, err = send()
    assert code == 2 and HOOK in err


def test_a_refused_post_exits_1_and_says_so(seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    with WebhookReceiver(statuses=[403]) as hook:
        monkeypatch.setenv(HOOK, hook.url)
        code, _, err = send()
    assert code == 1 and "not delivered" in err and "secret-token" not in err


def test_the_json_carries_every_figure_under_stable_keys(seeded: dict[str, int]) -> None:
    result = CliRunner().invoke(cli(), ["report", "--period", "2026-03-04", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    tables = json.loads(result.stdout)["tables"]
    (social,) = [g for g in tables["service_goals"] if g["channel"] == "all"]
    assert (social["goal"], social["goal_pct"], social["attainment_pct"], social["met"]) == (
        "social",
        100.0,
        50.0,
        False,
    )
    totals = {t["metric"]: t["attainment_pct"] for t in tables["charter_targets"] if t["channel"] == "all"}
    assert totals == {"first_response": 50.0, "next_response": 100.0}
    everything = next(c for c in tables["contact_kpis"] if (c["channel"], c["kind"]) == ("all", "all"))
    assert (everything["arrived"], everything["answered"], everything["answer_rate_pct"]) == (9, 5, 55.6)
    assert tables["satisfaction"] == [
        {
            "survey": "csat",
            "sent": 1,
            "answered": 1,
            "response_rate_pct": 100.0,
            "csat_pct": 100.0,
            "nps": None,
            "ces_mean": None,
            "promoters": None,
            "detractors": None,
        }
    ]
    assert [v["text"] for v in tables["survey_verbatims"]] == []  # the survey row has no answer message
    summary = {row["kpi"]: row["value"] for row in tables["summary"]}
    assert (summary["answer_rate_pct"], summary["csat"], summary["goal_social_pct"]) == (55.6, 100.0, 50.0)
