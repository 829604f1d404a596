"""Routing by contact reason to teams of agents (#18.4), pure: a reason's people are the agents the charter
names and the members of the teams it names; a team missing or empty adds nobody; a wrong team name in the
charter is an error naming the file's key."""

from __future__ import annotations

from typing import Any

import pytest

from inbox.charter.reason_rules import ReasonRule
from inbox.desk.routing import left_to_others, may_take, routed
from tests.support.charter import make_charter
from tests.unit.test_charter_model import problems_for

RULES = {
    "billing_payment": ReasonRule(agents=("maya",), teams=("billing",)),
    "account_access": ReasonRule(teams=("recovery", "nowhere")),
    "cancellation": ReasonRule(teams=("nowhere",)),
}
TEAMS = {"billing": ["bruno", "chloe"], "recovery": []}


def test_a_reasons_people_are_its_agents_and_its_teams_members() -> None:
    assert routed(RULES["billing_payment"], TEAMS) == {"maya", "bruno", "chloe"}
    assert routed(RULES["account_access"], TEAMS) == frozenset()  # an empty team and a missing one
    assert routed(RULES["billing_payment"], {}) == {"maya"}


def test_a_team_member_here_keeps_the_reason_from_the_others() -> None:
    assert may_take(RULES, "billing_payment", "chloe", {"alice", "bruno"}, TEAMS)  # in the team
    assert not may_take(RULES, "billing_payment", "alice", {"alice", "bruno"}, TEAMS)  # bruno is here
    assert may_take(RULES, "billing_payment", "alice", {"alice"}, TEAMS)  # nobody of them is here: anyone
    assert may_take(RULES, "account_access", "alice", {"alice", "bruno"}, TEAMS)  # nobody to leave it to
    assert left_to_others(RULES, "alice", {"chloe"}, TEAMS) == {"billing_payment"}
    assert left_to_others(RULES, "alice", {"chloe"}) == frozenset()  # without the teams: maya is away


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        (
            {"reasons": {"billing_payment": {"teams": ["Billing Desk"]}}},
            "reasons.billing_payment.teams[0]",
            "lower-case",
        ),
        ({"reasons": {"billing_payment": {"teams": "billing"}}}, "reasons.billing_payment.teams", "tuple"),
    ],
)
def test_a_wrong_team_in_the_charter_names_the_key(changes: dict[str, Any], key: str, fragment: str) -> None:
    problems = problems_for(changes)
    matching = [m for _, k, m in problems if k == key]
    assert matching and fragment in matching[0], problems


def test_a_charter_may_route_a_reason_to_a_team() -> None:
    charter = make_charter(reasons={"billing_payment": {"teams": ["billing"], "agents": ["maya"]}})
    assert charter.reasons["billing_payment"] == ReasonRule(agents=("maya",), teams=("billing",))
