"""The charter's contact-reason rules (issue #18.4), pure: the target per reason competes like any override,
the urgency bump never lowers, routing leaves a reason to its agents only while one of them is here, and a
wrong value is an error naming the key."""

from __future__ import annotations

from typing import Any

import pytest

from inbox.charter.reason_rules import ReasonRule, bumped
from inbox.charter.sla import target_for
from inbox.desk.routing import left_to_others, may_take
from tests.support.charter import make_charter
from tests.unit.test_charter_model import problems_for

CHARTER = make_charter(
    **{
        "sla.reasons": {"account_access": 30, "billing_payment": {"minutes": 50, "clock": "24/7"}},
        "reasons": {"account_access": {"urgency": "critical"}, "cancellation": {"urgency": "high"}},
    }
)


@pytest.mark.parametrize(
    ("urgency", "reason", "minutes", "rule"),
    [
        (None, None, 45, "sla.channels.x-acme.public.first_response"),
        (None, "billing_payment", 45, "sla.channels.x-acme.public.first_response"),  # 50 is not shorter
        (None, "account_access", 15, "sla.urgency.critical"),  # bumped to critical, shorter than 30
        ("normal", "cancellation", 45, "sla.channels.x-acme.public.first_response"),  # high: 45 is no shorter
        ("low", "delivery_order", 45, "sla.channels.x-acme.public.first_response"),
    ],
)
def test_the_reason_target_competes_and_the_bump_counts_as_urgency(
    urgency: str | None, reason: str | None, minutes: int, rule: str
) -> None:
    target = target_for(CHARTER, "x-acme", "public", urgency, [], platform="x", reason=reason)
    assert target is not None and (target.minutes, target.rule) == (minutes, rule)


def test_a_reason_target_shortens_a_longer_base() -> None:
    target = target_for(
        CHARTER, "mastodon-acme", "private", None, [], platform="mastodon", reason="billing_payment"
    )
    assert target is not None and (target.minutes, target.clock, target.rule) == (
        50,
        "24/7",
        "sla.reasons.billing_payment",
    )


@pytest.mark.parametrize(
    ("urgency", "expected"), [(None, "high"), ("low", "high"), ("high", "high"), ("critical", "critical")]
)
def test_the_bump_never_lowers(urgency: str | None, expected: str) -> None:
    assert bumped({"cancellation": ReasonRule(urgency="high")}, urgency, "cancellation") == expected
    assert bumped({"cancellation": ReasonRule(urgency="high")}, urgency, "other") == urgency


def test_routing_leaves_a_reason_to_its_agents_while_one_is_here() -> None:
    rules = {
        "billing_payment": ReasonRule(agents=("bruno", "maya")),
        "cancellation": ReasonRule(urgency="high"),
    }
    assert may_take(rules, "billing_payment", "bruno", set())
    assert not may_take(rules, "billing_payment", "alice", {"alice", "maya"})
    assert may_take(rules, "billing_payment", "alice", {"alice"})  # none of them is here: anyone
    assert may_take(rules, "cancellation", "alice", {"maya"}) and may_take(rules, None, "alice", {"maya"})
    assert left_to_others(rules, "alice", {"bruno"}) == {"billing_payment"}
    assert left_to_others(rules, "maya", {"bruno"}) == frozenset()


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        (
            {"reasons": {"billing_payment": {"urgency": "urgent"}}},
            "reasons.billing_payment.urgency",
            "'critical'",
        ),
        ({"reasons": {"billing_payment": {"team": "x"}}}, "reasons.billing_payment.team", "unknown key"),
        ({"reasons": {"Billing": {"urgency": "high"}}}, "reasons.Billing.[key]", "lower-case"),
        ({"sla.reasons": {"account_access": 0}}, "sla.reasons.account_access.minutes", "greater than 0"),
        (
            {"privacy.translations": {"english": "move-to-dm-en"}},
            "privacy.translations.english.[key]",
            "^[a-z]{2}$",
        ),
    ],
)
def test_a_wrong_reason_rule_names_the_key(changes: dict[str, Any], key: str, fragment: str) -> None:
    problems = problems_for(changes)
    matching = [m for _, k, m in problems if k == key]
    assert matching and fragment in matching[0], problems


def test_the_composer_advice_counts_the_contact_reason_as_a_privacy_topic() -> None:
    from inbox.replies.guidance import for_reply

    charter = make_charter(**{"privacy.topics": ["refund", "billing_payment"]})
    advice = {
        reason: for_reply(
            charter,
            channel="x-acme",
            visibility="public",
            urgency="normal",
            tags=[],
            pii_kinds=[],
            reason=reason,
        ).private_reasons
        for reason in ("billing_payment", "delivery_order")
    }
    assert advice == {"billing_payment": ["privacy.topics.billing_payment"], "delivery_order": []}
