"""The charter's moderation rules: what a spam, insulting or hateful message gets. Pure.

- A category comes from the message's urgency reasons (``rule:spam``, ``rule:insults``, ``rule:hate``, rules
  of config/nlp.toml); with several, the gravest wins (hate, then insults, then spam).
- The charter's ``[moderation]`` says ``hide`` or ``mark``. ``hide`` applies where the platform can hide a
  post (Facebook and Instagram comments); elsewhere it falls back to ``mark``, and the decision says so.
- A message the classifier judged more urgent than its category allows is left to a person: a spam phrase in
  a question ("is the concours still open?"), an insult with a real problem ("idiots, charged me twice").
  Spam is moderated only at urgency low, insults up to normal, hate always.
- A moderated conversation is never answered, until a manager marks it "not abuse".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import get_args

from inbox.charter.model import Charter
from inbox.charter.rules import ModerationCategory, moderation_action
from inbox.i18n import _
from inbox.ingest.threads import URGENCY_ORDER
from inbox.replies.rules import Decision, Route

CATEGORIES: tuple[ModerationCategory, ...] = ("hate", "insults", "spam")  # gravest first
assert set(CATEGORIES) == set(get_args(ModerationCategory))
HIDEABLE = {("facebook", "comment"), ("instagram", "comment")}  # (platform, conversation kind)
UP_TO = {"spam": "low", "insults": "normal", "hate": "critical"}  # highest urgency moderated automatically
TAG_PREFIX = "moderated:"
SKIPPED = "skipped"  # Message.moderation of a message left to people


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with one message: ``action`` applied (``hide`` or ``mark``); ``None``: left to people."""

    category: ModerationCategory
    action: str | None
    detail: str

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.category


def category(reasons: Iterable[object]) -> ModerationCategory | None:
    """The gravest moderation category among urgency reasons, None when there is none."""
    found = {str(r) for r in reasons}
    return next((c for c in CATEGORIES if f"rule:{c}" in found), None)


def can_hide(platform: str, kind: str) -> bool:
    """Only Facebook and Instagram comments can be hidden through the platform's API."""
    return (platform, kind) in HIDEABLE


def decide(
    charter: Charter, reasons: Iterable[object], urgency: str | None, platform: str, kind: str
) -> Verdict | None:
    """The moderation of one inbound message; None when no moderation rule matched it."""
    cat = category(reasons)
    if cat is None:
        return None
    level = URGENCY_ORDER.get(urgency or "low", 0)
    if level > URGENCY_ORDER[UP_TO[cat]]:
        return Verdict(cat, None, f"left to a person: {cat} rule matched but urgency is {urgency}")
    wanted = moderation_action(charter, cat)
    if wanted == "hide" and not can_hide(platform, kind):
        return Verdict(cat, "mark", f"charter says hide; {platform} {kind}s cannot be hidden: marked instead")
    return Verdict(cat, wanted, f"charter says {wanted}")


def moderated_as(tags: Sequence[str]) -> str | None:
    """The category a conversation is moderated as (its ``moderated:<category>`` tag), else None."""
    return next((t[len(TAG_PREFIX) :] for t in tags if t.startswith(TAG_PREFIX)), None)


def without_moderation(tags: Sequence[str]) -> list[str]:
    return [t for t in tags if not t.startswith(TAG_PREFIX)]


def refusal(cat: str) -> str:
    return _(
        "Moderated as {category}: this conversation is never answered. "
        "A manager can mark it 'Not abuse' to reopen it."
    ).format(category=cat)


def refuse_replies(decision: Decision, tags: Sequence[str]) -> Decision:
    """The reply rules' decision, with both routes refused when the conversation is moderated."""
    cat = moderated_as(tags)
    if cat is None:
        return decision
    reason = refusal(cat)
    return Decision(
        Route("public", False, reason, offered=decision.public.offered),
        Route("private", False, reason, offered=decision.private.offered),
    )
