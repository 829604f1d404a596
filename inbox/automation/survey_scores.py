"""Satisfaction scores: reading a score in a customer's reply, and the NPS, CSAT and CES figures. Pure.

Ranges (as the charter states them): nps 0-10, csat 1-5, ces 1-10. A reply holds a score when it says
"n/5", "n sur 10", "n out of 5" (the first such wins), or else holds exactly one standalone number of one or
two digits; a number out of range, several numbers, or none is no answer.
NPS = % promoters (9-10) - % detractors (0-6), from -100 to +100; CSAT = % of answers at 4 or 5; CES = mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

RANGES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 10)}
_OUT_OF = re.compile(r"(?<![\w.,])(\d{1,2})\s*(?:/|sur|out of|on)\s*(5|10)(?!\d)", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,2})(?!\w|[.,]\d)")
_BARE = re.compile(r"\W*\d{1,2}\s*(?:(?:/|sur|out of|on)\s*(?:5|10))?\W*", re.IGNORECASE)


def parse_score(text: str, kind: str) -> int | None:
    """The score ``text`` gives for a survey of ``kind``, or None."""
    low, high = RANGES[kind]
    scale = _OUT_OF.search(text)
    if scale is not None:
        value, top = int(scale.group(1)), int(scale.group(2))
        return value if low <= value <= min(high, top) else None
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1:
        return None
    value = int(numbers[0])
    return value if low <= value <= high else None


def only_a_score(text: str) -> bool:
    """True when the reply says nothing but its score ("5", "9/10 !", "4 sur 5 👍")."""
    return _BARE.fullmatch(text.strip()) is not None


@dataclass(frozen=True, slots=True)
class SurveyFigures:
    """The figures of one survey kind; None where there is no answer yet."""

    kind: str
    answers: int
    distribution: dict[int, int] = field(default_factory=dict)
    nps: float | None = None  # -100 .. +100
    promoters: int = 0
    detractors: int = 0
    csat: float | None = None  # % of 4-5
    ces: float | None = None  # mean effort


def figures(kind: str, scores: Iterable[int]) -> SurveyFigures:
    values = list(scores)
    n = len(values)
    counts = dict(sorted(Counter(values).items()))
    if not n:
        return SurveyFigures(kind, 0, counts)
    if kind == "nps":
        promoters = sum(1 for v in values if v >= 9)
        detractors = sum(1 for v in values if v <= 6)
        nps = round(100 * (promoters - detractors) / n, 1)
        return SurveyFigures(kind, n, counts, nps=nps, promoters=promoters, detractors=detractors)
    if kind == "csat":
        return SurveyFigures(kind, n, counts, csat=round(100 * sum(1 for v in values if v >= 4) / n, 1))
    if kind == "ces":
        return SurveyFigures(kind, n, counts, ces=round(sum(values) / n, 2))
    raise ValueError(f"unknown survey kind {kind!r}; known: {', '.join(RANGES)}")
