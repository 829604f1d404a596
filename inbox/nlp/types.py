"""The classification result types: plain frozen data, no behaviour beyond JSON conversion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS: tuple[str, ...] = ("low", "normal", "high", "critical")
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """Personal data in a text: ``text[start:end]`` is of kind ``kind`` (email, phone, card, iban, ...)."""

    kind: str
    start: int
    end: int

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Classification:
    """What the inbox stores about one incoming message."""

    language: str
    sentiment: str
    sentiment_scores: dict[str, float]
    urgency: str
    urgency_reasons: list[str] = field(default_factory=list)
    pii: list[PiiSpan] = field(default_factory=list)
    reason: str = "other"  # the contact reason (config/nlp.toml [reasons].labels)
    reason_scores: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The ``inbox classify`` output object: ``pii`` holds the kinds, ``pii_spans`` the spans."""
        return {
            "language": self.language,
            "sentiment": self.sentiment,
            "sentiment_scores": {k: round(v, 4) for k, v in self.sentiment_scores.items()},
            "urgency": self.urgency,
            "urgency_reasons": list(self.urgency_reasons),
            "pii": sorted({s.kind for s in self.pii}),
            "pii_spans": [s.as_json() for s in self.pii],
            "reason": self.reason,
            "reason_scores": {k: round(v, 4) for k, v in self.reason_scores.items()},
        }
