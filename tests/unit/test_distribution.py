"""The Team page's "Distribute", pure (``assignment.distribute``): round-robin among the agents handed out to,
keeping to the charter's routing by contact reason (its agents and teams' members when one of them is among
those agents, else anyone) and to the channels each agent works; what nobody may take stays, with why."""

from __future__ import annotations

from datetime import UTC, datetime

from inbox.charter.reason_rules import ReasonRule
from inbox.desk.assignment import Candidate, Waiting, distribute

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULES = {
    "billing_payment": ReasonRule(teams=("billing",)),
    "account_access": ReasonRule(agents=("chloe",)),
    "delivery": ReasonRule(),  # no agents nor teams: anyone's
}
TEAMS = {"billing": ["bruno"]}


def agent(user_id: int, name: str, channels: frozenset[str] | None = None, capacity: int = 20) -> Candidate:
    return Candidate(user_id, (), capacity, 0, None, channels, name)


ALICE, BRUNO, CHLOE = agent(1, "alice"), agent(2, "bruno"), agent(3, "chloe")


def waiting(n: int, reason: str | None = None, channel: str = "x-acme") -> list[Waiting]:
    return [Waiting(100 + i, "en", channel, reason) for i in range(n)]


def test_a_routed_reason_goes_to_its_team_member() -> None:
    done = distribute([ALICE, BRUNO, CHLOE], waiting(3, "billing_payment"), RULES, TEAMS, NOW)
    assert set(done.assigned.values()) == {BRUNO.user_id} and done.left == {}


def test_a_routed_reason_goes_to_the_agents_the_charter_names() -> None:
    done = distribute([ALICE, BRUNO, CHLOE], waiting(2, "account_access"), RULES, TEAMS, NOW)
    assert set(done.assigned.values()) == {CHLOE.user_id}


def test_anyone_takes_it_when_none_of_its_people_is_among_the_agents() -> None:
    done = distribute([ALICE, CHLOE], waiting(2, "billing_payment"), RULES, TEAMS, NOW)
    assert sorted(done.assigned.values()) == [ALICE.user_id, CHLOE.user_id]  # round-robin among all
    team_gone = distribute([ALICE, BRUNO], waiting(2, "billing_payment"), RULES, {}, NOW)
    assert sorted(team_gone.assigned.values()) == [ALICE.user_id, BRUNO.user_id]  # the team adds nobody


def test_its_people_full_it_stays_unassigned_rather_than_going_to_another() -> None:
    full = agent(2, "bruno", capacity=0)
    done = distribute([ALICE, full], waiting(1, "billing_payment"), RULES, TEAMS, NOW)
    assert done.assigned == {} and done.left == {100: "routed"}


def test_nobody_gets_a_conversation_of_a_channel_they_do_not_work() -> None:
    x_only = agent(1, "alice", frozenset({"x-acme"}))
    mastodon = agent(2, "bruno", frozenset({"mastodon-acme"}))
    done = distribute([x_only, mastodon], waiting(2, channel="mastodon-acme"), RULES, TEAMS, NOW)
    assert set(done.assigned.values()) == {mastodon.user_id}
    nobody = distribute([x_only], waiting(1, channel="mastodon-acme"), RULES, TEAMS, NOW)
    assert nobody.left == {100: "channel"}
    routed_off = distribute(  # bruno, the billing team, does not work x-acme: he cannot be handed it
        [ALICE, mastodon], waiting(1, "billing_payment"), RULES, TEAMS, NOW
    )
    assert routed_off.left == {100: "routed"}


def test_otherwise_round_robin_evenly_the_least_recently_handed_first() -> None:
    earlier = Candidate(3, (), 20, 0, datetime(2026, 3, 2, 8, 0, tzinfo=UTC), None, "chloe")
    done = distribute([ALICE, BRUNO, earlier], waiting(6, "delivery"), RULES, TEAMS, NOW)
    order = [done.assigned[i] for i in sorted(done.assigned)]
    assert order == [1, 2, 3, 1, 2, 3]  # never handed one first, then by when and load
    assert distribute([], waiting(2), RULES, TEAMS, NOW).left == {100: "nobody", 101: "nobody"}
    busy = distribute([agent(1, "alice", capacity=1)], waiting(2), RULES, TEAMS, NOW)
    assert busy.assigned == {100: 1} and busy.left == {101: "busy"}
