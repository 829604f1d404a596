"""How urgency is decided from fired rules, model scores and reach: pure, no model, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inbox.nlp.settings import UrgencySettings
from inbox.nlp.types import LEVELS


@dataclass(frozen=True, slots=True)
class Signals:
    """Everything urgency is decided from, for one message."""

    rules: Sequence[tuple[str, str]]  # (rule name, level) in match order
    sentiment: str
    complaint: float | None  # complaint probability; None where the language has no complaint model
    followers: int | None = None
    urgent: float | None = None  # the urgency model's P(high or critical); None where there is none


def _max(a: str, b: str) -> str:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def lift(level: str, reasons: list[str], urgent: float | None, settings: UrgencySettings) -> str:
    """The urgency model's part: P(urgent) at or above ``urgent_threshold`` adds ``model:urgency`` and lifts
    the level to at least ``high``. Never lowers a level."""
    if urgent is None or urgent < settings.urgent_threshold:
        return level
    reasons.append("model:urgency")
    return _max(level, "high")


def decide(signals: Signals, settings: UrgencySettings) -> tuple[str, list[str]]:
    """The urgency level and the reasons that fired.

    The highest level of any fired rule wins; a complaint (model) or a negative sentiment lifts the level
    to at least ``normal``; either of them from an author with ``large_following`` followers lifts it to
    at least ``high``; the urgency model lifts it to at least ``high`` (``lift``). With no reason at all the
    message is ``low`` (chit-chat). Where there is an urgency model, a rule listed in ``model_confirms``
    counts as ``normal`` (its reason is kept); the model decides whether it is ``high``.
    """
    level = "low"
    reasons: list[str] = []
    confirm = signals.urgent is not None and settings.model_confirms
    for name, rule_level in signals.rules:
        reasons.append(f"rule:{name}")
        if confirm and name in settings.model_confirms:
            rule_level = min(rule_level, "normal", key=LEVELS.index)
        level = _max(level, rule_level)
    upset = False
    if signals.complaint is not None and signals.complaint >= settings.complaint_threshold:
        reasons.append("model:complaint")
        upset = True
    if signals.sentiment == "negative":
        reasons.append("sentiment:negative")
        upset = True
    if upset:
        level = _max(level, "normal")
        if signals.followers is not None and signals.followers >= settings.large_following:
            reasons.append("reach:large_following")
            level = _max(level, "high")
    return lift(level, reasons, signals.urgent, settings), reasons
