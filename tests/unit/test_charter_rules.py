"""The charter's other rules: out-of-hours reply, peak plan, public → private, moderation, brands; purity."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from inbox.charter.model import load_charter
from inbox.charter.rules import (
    brand_for,
    moderation_action,
    out_of_hours_reply,
    peak_acknowledgement,
    peak_active,
    private_reasons,
)
from tests.support.charter import make_charter

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
CHARTER = make_charter()
REAL = load_charter(ROOT / "config")
PEAK = {
    "peak": {
        "backlog_at_least": 50,
        "forecast_breaches_at_least": 10,
        "promise_hours": 4,
        "template": "afflux-fr",
        "text": "Nous répondrons d'ici {hours} heures.",
    }
}


def paris(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (paris(2026, 1, 14, 10, 0), None),  # Wednesday, open
        (paris(2026, 1, 14, 12, 30), "De retour aujourd'hui à 14:00."),  # lunch break: not "mercredi"
        (paris(2026, 1, 16, 21, 0), "De retour lundi à 08:00."),  # Friday evening
        (paris(2026, 4, 30, 20, 30), "De retour lundi à 08:00."),  # 1 May is a Friday holiday
    ],
)
def test_out_of_hours_reply(at: datetime, expected: str | None) -> None:
    assert out_of_hours_reply(CHARTER.team("care"), at) == expected


def test_the_real_team_is_back_on_saturday_morning_after_a_friday_holiday() -> None:
    reply = out_of_hours_reply(REAL.team("care-fr"), paris(2026, 5, 8, 18, 0))  # Victoire 1945, a Friday
    assert reply is not None and "samedi à 09:00" in reply


@pytest.mark.parametrize(
    ("backlog", "forecast", "expected"),
    [(49, 9, False), (50, 0, True), (0, 10, True), (120, 30, True)],
)
def test_peak_starts_when_either_threshold_is_reached(backlog: int, forecast: int, expected: bool) -> None:
    charter = make_charter(**PEAK)
    assert peak_active(charter, backlog=backlog, forecast_breaches=forecast) is expected


def test_no_peak_plan_or_a_disabled_one_never_starts() -> None:
    assert not peak_active(CHARTER, backlog=10_000, forecast_breaches=10_000)
    disabled = make_charter(**PEAK, **{"peak.enabled": False})
    assert not peak_active(disabled, backlog=10_000, forecast_breaches=10_000)


def test_backlog_only_peak_plan() -> None:
    charter = make_charter(**PEAK, **{"peak.forecast_breaches_at_least": None})
    assert not peak_active(charter, backlog=49, forecast_breaches=10_000)
    assert peak_active(charter, backlog=50, forecast_breaches=0)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("public", "Nous répondrons d'ici 4 heures."), ("private", None), ("listening", None)],
)
def test_the_peak_acknowledgement_goes_to_public_mentions(kind: str, expected: str | None) -> None:
    assert peak_acknowledgement(make_charter(**PEAK), kind) == expected


def test_the_real_peak_acknowledgement() -> None:
    text = peak_acknowledgement(REAL, "public")
    assert text is not None and "d'ici 4 heures" in text


@pytest.mark.parametrize(
    ("urgency", "topics", "pii", "expected"),
    [
        ("normal", ["delivery"], [], []),
        ("critical", [], [], ["privacy.urgencies.critical"]),
        (None, ["Billing"], [], ["privacy.topics.billing"]),
        ("high", [], ["email", "card"], ["privacy.pii.email", "privacy.pii.card"]),
        (
            "critical",
            ["fraud"],
            ["iban"],
            ["privacy.urgencies.critical", "privacy.topics.fraud", "privacy.pii.iban"],
        ),
    ],
)
def test_private_reasons(urgency: str | None, topics: list[str], pii: list[str], expected: list[str]) -> None:
    assert private_reasons(REAL, urgency=urgency, topics=topics, pii_kinds=pii) == expected


@pytest.mark.parametrize(("category", "action"), [("spam", "hide"), ("insults", "mark"), ("hate", "hide")])
def test_moderation_action(category: str, action: str) -> None:
    assert moderation_action(REAL, category) == action  # type: ignore[arg-type]


def test_brand_for() -> None:
    brand = brand_for(REAL, "x-acme")
    assert brand is not None and (brand.tone, brand.signature, brand.language) == (
        "friendly",
        "^{agent_name}",
        "fr",
    )
    assert brand_for(REAL, "mastodon-acme") == brand  # the shipped brand speaks for every demo channel
    x_only = make_charter(**{"brands.acme": {"display_name": "Acme", "channels": ["x-acme"]}})
    assert brand_for(x_only, "mastodon-acme") is None
    only = make_charter(**{"brands.solo": {"display_name": "Solo"}})
    assert brand_for(only, "anything") == only.brands["solo"]


# The charter's engine is pure; these apply it to stored conversations (versions, open clocks, due times).
STORE_FACING = {"versions.py", "open_clocks.py", "deadlines.py"}


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "inbox" / "charter").glob("*.py") if p.name not in STORE_FACING),
    ids=lambda p: p.name,
)
def test_the_charter_engine_is_pure(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    forbidden = (
        r"datetime\.now|\.utcnow\(|date\.today|time\.time\(|import (streamlit|requests|sqlmodel|sqlalchemy)"
    )
    assert not re.search(forbidden, source)
    assert not re.search(r"from (streamlit|requests|sqlmodel|sqlalchemy|inbox\.(db|models|store))\b", source)
    assert len(source.splitlines()) <= 300
