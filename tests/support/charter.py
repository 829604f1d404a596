"""The test charter shared by the charter, SLA and report tests: a Paris team open Mon-Fri 08-12 and 14-20,
and ``make_charter`` to vary it by dotted keys."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from inbox.charter.model import Charter, parse_charter

FILE = "config/charter.toml"  # the file name the charter's errors carry
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
DELETE = object()  # make_charter(**{key: DELETE}) removes the key


def charter_data() -> dict[str, Any]:
    """The test charter as its TOML file would read (fresh on each call: callers may change it)."""
    return {
        "sla": {
            "team": "care",
            "default": {
                "public": {
                    "first_response": {"minutes": 60, "clock": "business_hours"},
                    "next_response": {"minutes": 30, "clock": "business_hours"},
                    "resolution": {"minutes": 600, "clock": "business_hours"},
                },
                "private": {"first_response": {"minutes": 60, "clock": "24/7"}},
                "listening": {"first_response": {"minutes": 240, "clock": "business_hours"}},
            },
            "channels": {
                "x-acme": {"public": {"first_response": {"minutes": 45, "clock": "business_hours"}}},
                "mastodon": {"public": {"first_response": {"minutes": 120}}},
            },
            "urgency": {"critical": 15, "high": 45},
            "segments": {"vip": 30, "press": {"minutes": 20, "kinds": ["public"]}},
        },
        "teams": {
            "care": {
                "timezone": "Europe/Paris",
                "week": {day: ["08:00-12:00", "14:00-20:00"] for day in WEEKDAYS},
                "holidays": [
                    dt.date(2026, 5, 1),
                    {"date": dt.date(2026, 5, 8), "name": "Victoire 1945"},
                    {"date": dt.date(2026, 12, 24), "name": "Veille de Noël", "shifts": ["08:00-12:00"]},
                    {"date": dt.date(2026, 12, 25), "name": "Noël"},
                ],
                "out_of_hours": {
                    "template": "hors-horaires-fr",
                    "text": "De retour {next_opening_day} à {next_opening_time}.",
                    "day_names": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
                },
            }
        },
        "escalation": {"webhook_url_env": "INBOX_ESCALATION_WEBHOOK_URL", "at_risk_fraction": 0.75},
    }


def make_charter(**changes: Any) -> Charter:
    """The test charter with dotted-key changes, e.g. ``make_charter(**{"sla.segments.vip": 20})``."""
    data = charter_data()
    for key, value in changes.items():
        set_in(data, key, value)
    return parse_charter(data, FILE)


def set_in(data: dict[str, Any], dotted: str, value: Any) -> None:
    *path, last = dotted.split(".")
    for part in path:
        data = data.setdefault(part, {})
    if value is DELETE:
        del data[last]
    else:
        data[last] = copy.deepcopy(value)  # callers' tables stay untouched


def problems_with(data: dict[str, Any], changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The (file, key, message) rows ``parse_charter`` reports for ``data`` with dotted-key ``changes``."""
    import pytest

    from inbox.config.loader import ConfigError

    for key, value in changes.items():
        set_in(data, key, value)
    with pytest.raises(ConfigError) as err:
        parse_charter(data, FILE)
    return err.value.problems
