"""The charter's moderation rules, pure: category from the urgency reasons, hide or mark, refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from inbox.replies import moderation
from inbox.replies import rules as reply_rules
from tests.support.enforcement import charter

CHARTER = charter()  # spam = hide, insults = mark, hate = hide


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (["rule:spam"], "spam"),
        (["rule:question", "rule:insults"], "insults"),
        (["rule:spam", "rule:insults", "rule:hate"], "hate"),  # the gravest wins
        (["rule:thanks", "sentiment:negative"], None),
        ([], None),
    ],
)
def test_category_is_the_gravest_moderation_rule(reasons: list[str], expected: str | None) -> None:
    assert moderation.category(reasons) == expected


def test_hide_applies_to_facebook_and_instagram_comments_only() -> None:
    fb = moderation.decide(CHARTER, ["rule:spam"], "low", "facebook", "comment")
    ig = moderation.decide(CHARTER, ["rule:spam"], "low", "instagram", "comment")
    assert fb is not None and (fb.action, fb.tag) == ("hide", "moderated:spam")
    assert ig is not None and ig.action == "hide"
    for platform, kind in (("x", "mention"), ("facebook", "dm"), ("mastodon", "mention")):
        verdict = moderation.decide(CHARTER, ["rule:spam"], "low", platform, kind)
        assert verdict is not None and verdict.action == "mark"
        assert "cannot be hidden: marked instead" in verdict.detail


def test_the_charter_decides_mark_or_hide() -> None:
    insult = moderation.decide(CHARTER, ["rule:insults"], "normal", "facebook", "comment")
    assert insult is not None and insult.action == "mark"
    everything_marked = charter(**{"moderation.spam": "mark"})
    spam = moderation.decide(everything_marked, ["rule:spam"], "low", "facebook", "comment")
    assert spam is not None and (spam.action, spam.detail) == ("mark", "charter says mark")


@pytest.mark.parametrize(
    ("reasons", "urgency", "moderated"),
    [
        (["rule:spam"], "low", True),
        (["rule:spam", "rule:question"], "normal", False),  # "is the concours still open?"
        (["rule:insults", "sentiment:negative"], "normal", True),
        (["rule:insults", "rule:money_lost"], "high", False),  # "idiots, you charged me twice"
        (["rule:hate", "rule:legal"], "critical", True),
    ],
)
def test_a_message_more_urgent_than_its_category_allows_is_left_to_a_person(
    reasons: list[str], urgency: str, moderated: bool
) -> None:
    verdict = moderation.decide(CHARTER, reasons, urgency, "facebook", "comment")
    assert verdict is not None and (verdict.action is not None) is moderated
    if not moderated:
        assert verdict.detail.startswith("left to a person")


def test_no_moderation_rule_no_verdict() -> None:
    assert moderation.decide(CHARTER, ["rule:problem"], "normal", "facebook", "comment") is None


def test_a_moderated_conversation_refuses_every_reply_with_the_reason() -> None:
    at = datetime(2026, 6, 8, tzinfo=UTC)
    facts = reply_rules.ReplyFacts(
        platform="facebook", kind="comment", visibility="public", last_inbound_at=at
    )
    decision = reply_rules.decide(facts, at)
    assert decision.public.allowed and decision.private.allowed
    refused = moderation.refuse_replies(decision, ["billing", "moderated:spam"])
    for route in (refused.public, refused.private):
        assert not route.allowed and route.reason is not None and "Moderated as spam" in route.reason
    assert moderation.refuse_replies(decision, ["billing"]) is decision


def test_tags_of_a_moderated_conversation() -> None:
    tags = ["vip", "moderated:insults"]
    assert moderation.moderated_as(tags) == "insults"
    assert moderation.without_moderation(tags) == ["vip"]
    assert moderation.moderated_as(["vip"]) is None
