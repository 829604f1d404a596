"""Service-level goals and survey runs in the charter: defaults, scope, and errors that name the key."""

from __future__ import annotations

from typing import Any

import pytest

from inbox.charter.goals import Goal
from inbox.charter.model import parse_charter
from tests.support.charter import FILE, problems_with
from tests.support.enforcement import charter_data  # the shipped config/charter.toml


def problems_for(changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    return problems_with(charter_data(), changes)


def test_the_shipped_charter_states_social_100_percent_in_60_minutes_and_critical_100_in_15() -> None:
    goals = parse_charter(charter_data(), FILE).sla.service_goals()
    assert (goals["social"].percent, goals["social"].within_minutes) == (100, 60)
    assert (goals["critical"].percent, goals["critical"].within_minutes, goals["critical"].urgencies) == (
        100,
        15,
        ("critical",),
    )


def test_without_goals_the_default_is_social_media_100_percent_within_60_minutes() -> None:
    data = charter_data()
    data["sla"].pop("goals", None)
    goals = parse_charter(data, FILE).sla.service_goals()
    assert goals == {"social": Goal(percent=100, within_minutes=60)}


@pytest.mark.parametrize(
    ("channel", "platform", "kind", "urgency", "covered"),
    [
        ("x-acme", "x", "public", "normal", True),
        ("x-acme", "x", "public", None, False),  # no urgency is not one listed
        ("fb-acme", "facebook", "public", "critical", False),  # another channel
        ("x-acme", "x", "listening", "critical", False),  # another kind
        ("x-acme", "x", "private", "high", False),  # another urgency
        ("x-main", "x", "private", "critical", True),  # the platform names the channel
    ],
)
def test_a_goal_s_scope(channel: str, platform: str, kind: str, urgency: str | None, covered: bool) -> None:
    goal = Goal(
        percent=100,
        within_minutes=15,
        channels=("x",),
        kinds=("public", "private"),
        urgencies=("critical", "normal"),
    )
    assert goal.covers(channel, platform, kind, urgency) is covered


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        ({"sla.goals.social.percent": 120}, "sla.goals.social.percent", "less than or equal to 100"),
        ({"sla.goals.social.percent": 0}, "sla.goals.social.percent", "greater than 0"),
        ({"sla.goals.social.within_minutes": 0}, "sla.goals.social.within_minutes", "greater than 0"),
        ({"sla.goals.critical.urgencies": ["urgent"]}, "sla.goals.critical.urgencies[0]", "'critical'"),
        ({"sla.goals.social.team": "nobody"}, "sla.goals.social.team", "unknown team 'nobody'"),
        ({"sla.goals.social.within": 60}, "sla.goals.social.within", "unknown key"),
        ({"surveys": [{"kind": "csat", "text": "Note ?"}]}, "survey.kind",
         "a csat survey is already set in surveys.0"),
        ({"surveys": [{"kind": "nps", "text": "Note ?", "once_per_customer_days": 0}]},
         "surveys[0].once_per_customer_days", "greater than or equal to 1"),
    ],
)  # fmt: skip
def test_a_wrong_goal_or_survey_names_its_key(changes: dict[str, Any], key: str, fragment: str) -> None:
    problems = problems_for(changes)
    matching = [(f, k, m) for f, k, m in problems if k == key]
    assert matching, problems
    assert fragment in matching[0][2]
