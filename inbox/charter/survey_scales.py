"""Satisfaction scales and figures, as the charter's survey kinds state them. Pure.

Ranges: nps 0-10, csat 1-5, ces (customer effort) 1-10.
NPS = % promoters (9-10) - % detractors (0-6), from -100 to +100; CSAT = % of answers at 4 or 5; CES = the
mean score. Shared by the automation (reading answers) and the reports (the figures).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

RANGES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 10)}


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
