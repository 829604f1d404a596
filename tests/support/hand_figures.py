"""Every figure true at the edges of time: first-response figures recomputed by hand from docs/kpis.md alone.

The recomputer reads only the charter's TOML (``tests.support.hand_charter``; public holidays from the
``holidays`` package) and the events in the store (customer messages, the outbox's deliveries, the audited
resolutions), never inbox/reports nor the charter's clock code. Its figures are compared with ``inbox report``
(CSV) and with the dashboard's data functions by the ``tests/flows/test_figures_time_*`` tests.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from typer.testing import CliRunner

from tests.support.hand_charter import CHARTER_TOML, HandCharter
from tests.support.reports_seed import report_app, write_config


@dataclass
class Judged:
    arrived: datetime
    outcome: str  # met | missed | waiting | closed
    wait: timedelta | None  # to the first person's answer
    business_wait: float | None  # the same wait in open minutes
    goal: str  # within | late | running | closed: against the goal (60 business minutes)
    nexts: list[str]  # the next-response clocks: met | missed | waiting
    resolution: str | None  # met | missed | waiting against the resolution target; None: not judged
    duration: timedelta | None  # first message to the last resolution, when a person answered (DMC)


def _aware(value: Any) -> datetime:
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _json(value: Any) -> dict[str, Any]:
    return dict(json.loads(value) if isinstance(value, str) else value)


def customer_messages(db: Connection, channel: str | None) -> list[Any]:
    """(conversation, written at, urgency) of every customer message (of ``channel``, if named)."""
    rows = db.execute(
        text(
            "SELECT m.conversation_id, m.created_at, m.urgency FROM message m JOIN channel ch "
            "ON ch.id = m.channel_id WHERE m.direction = 'in' "
            "AND (CAST(:channel AS TEXT) IS NULL OR ch.name = :channel)"
        ),
        {"channel": channel},
    )
    return list(rows.all())


def recompute(
    engine: Engine, charter_file: Path, now: datetime, channel: str | None = None
) -> tuple[HandCharter, list[Judged]]:
    """Each conversation's first response judged from the stored events (of ``channel``, if named)."""
    hand = HandCharter(tomllib.loads(charter_file.read_text(encoding="utf-8")))
    with engine.connect() as db:
        convs = db.execute(
            text(
                "SELECT c.id, c.visibility, c.kind FROM conversation c JOIN channel ch "
                "ON ch.id = c.channel_id WHERE CAST(:channel AS TEXT) IS NULL OR ch.name = :channel"
            ),
            {"channel": channel},
        ).all()
        messages = customer_messages(db, channel)
        answers = db.execute(
            text(
                "SELECT conversation_id, sent_at FROM outbound_reply WHERE status = 'sent' "
                "AND idempotency_key NOT LIKE 'auto-%'"
            )
        ).all()
        resolved = db.execute(
            text("SELECT target_id, at, detail FROM audit_event WHERE action = 'conversation.status'")
        ).all()
    judged = []
    for conv_id, visibility, kind in convs:
        ins = sorted((_aware(at), urgency) for cid, at, urgency in messages if cid == conv_id)
        if not ins:
            continue
        first, urgency = ins[0]
        sent = sorted(_aware(at) for cid, at in answers if cid == conv_id and _aware(at) >= first)
        closes = sorted(
            _aware(at)
            for target, at, detail in resolved
            if target == str(conv_id) and _json(detail).get("to") == "resolved"
        )
        kind_name = "listening" if kind == "listening" else visibility
        due = hand.due(first, *hand.target(kind_name, urgency))
        answer = sent[0] if sent else None
        goal_due = hand.due(first, 60, "business_hours")
        if answer is not None:
            outcome = "met" if answer <= due else "missed"
            goal = "within" if answer <= goal_due else "late"
        elif closes:
            outcome = goal = "closed"
        else:
            outcome = "missed" if now > due else "waiting"
            goal = "late" if now > goal_due else "running"
        business = hand.business_minutes(first, answer) if answer else None
        nexts = next_responses(hand, kind_name, ins, sent, closes, now)
        resolution, duration = resolution_of(hand, kind_name, first, answer, closes, now)
        judged.append(
            Judged(
                first,
                outcome,
                answer - first if answer else None,
                business,
                goal,
                nexts,
                resolution,
                duration,
            )
        )
    return hand, judged


RANK = {"low": 0, "normal": 1, "high": 2, "critical": 3}


def resolution_of(
    hand: HandCharter,
    kind: str,
    first: datetime,
    answer: datetime | None,
    closes: list[datetime],
    now: datetime,
) -> tuple[str | None, timedelta | None]:
    """From the first message to the last resolution: met by the due time, missed after it or still open
    past it; closed without any answer, or no resolution target: not judged. The histories here resolve
    last of all, so the last resolution leaves the conversation resolved."""
    duration = closes[-1] - first if closes and answer is not None else None
    target = hand.doc["sla"]["default"][kind].get("resolution")
    if target is None or (closes and answer is None):
        return None, duration
    due = hand.due(first, target["minutes"], target.get("clock", "24/7"))
    if closes:
        return ("met" if closes[-1] <= due else "missed"), duration
    return ("missed" if now > due else "waiting"), duration


def next_responses(
    hand: HandCharter,
    kind: str,
    ins: list[tuple[datetime, str | None]],
    sent: list[datetime],
    closes: list[datetime],
    now: datetime,
) -> list[str]:
    """After the first answer, each customer message written while no clock runs starts one, with the most
    urgent of the messages written by then; the next answer by a person stops it (met by its due time). A
    resolution before any answer ends the cycle unjudged (a "thanks" left unanswered). The histories here
    resolve last of all, so no message reopens a resolved conversation."""
    if not sent:
        return []
    outcomes = []
    for n, (at, _) in enumerate(ins):
        # a clock starts when a person answered since the customer's previous message (the same second too)
        if at <= sent[0] or not any(ins[n - 1][0] <= a < at for a in sent):
            continue
        urgency = max((u or "normal" for w, u in ins if w <= at), key=lambda u: RANK.get(u, 1))
        due = hand.due(at, *hand.target(kind, urgency))
        answer = next((a for a in sent if a >= at), None)
        if answer is not None:
            outcomes.append("met" if answer <= due else "missed")
        elif not any(c >= at for c in closes):
            outcomes.append("missed" if now > due else "waiting")
    return outcomes


def pct(part: int, whole: int) -> str:
    return "—" if whole == 0 else f"{round(100 * part / whole, 1)}"


def nearest_rank(values: list[float], share: float) -> float:
    ranked = sorted(values)
    return ranked[math.ceil(share * len(ranked)) - 1]


def hand_figures(hand: HandCharter, judged: list[Judged], first: date, last: date) -> dict[str, Any]:
    """Attainment per local day of arrival and overall, median and 90th percentile (docs/kpis.md)."""
    ours = [j for j in judged if first <= j.arrived.astimezone(hand.zone).date() <= last]
    by_day: dict[str, tuple[int, int]] = {}
    for j in ours:
        day = j.arrived.astimezone(hand.zone).date().isoformat()
        met, judged_n = by_day.get(day, (0, 0))
        by_day[day] = (met + (j.outcome == "met"), judged_n + (j.outcome in ("met", "missed")))
    waits = [j.wait.total_seconds() / 60 for j in ours if j.wait is not None]
    business = [j.business_wait for j in ours if j.business_wait is not None]
    met = sum(j.outcome == "met" for j in ours)
    judged_n = sum(j.outcome in ("met", "missed") for j in ours)
    within, late = sum(j.goal == "within" for j in ours), sum(j.goal == "late" for j in ours)
    nexts = [o for j in ours for o in j.nexts]
    resolutions = [j.resolution for j in ours]
    durations = [j.duration.total_seconds() / 60 for j in ours if j.duration is not None]
    return {
        "resolution": tuple(resolutions.count(o) for o in ("met", "missed", "waiting")),
        "dmc": f"{round(sum(durations) / len(durations), 1)}" if durations else "—",
        "next": tuple(nexts.count(o) for o in ("met", "missed", "waiting")),
        "goal": (within, late, pct(within, within + late)),
        "business": (
            f"{round(median(business), 1)}" if business else "—",
            f"{round(nearest_rank(business, 0.9), 1)}" if business else "—",
        ),
        "by_day": {day: pct(m, n) for day, (m, n) in by_day.items()},
        "attainment": pct(met, judged_n),
        "median": f"{round(median(waits), 1)}" if waits else "—",
        "p90": f"{round(nearest_rank(waits, 0.9), 1)}" if waits else "—",
    }


# ---------------------------------------------------------------- what the inbox says


def report_csv(table: str, period: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(
        report_app(), ["report", "--period", period, "--format", "csv", "--table", table]
    )
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def cell(value: str) -> str:
    """A CSV cell as the hand figures write it: no figure is '—', a whole number keeps one decimal."""
    if value in ("", "—", "None"):
        return "—"
    return f"{round(float(value), 1)}"


@pytest.fixture(name="config")
def config_folder(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_config(tmp_path / "config")
    (folder / "charter.toml").write_text(CHARTER_TOML, encoding="utf-8")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    return folder
