"""Satisfaction scores: reading a score in a customer's reply to a survey. Pure.

Ranges (as the charter states them): nps 0-10, csat 1-5, ces 1-10. A reply holds a score when it says
"n/5", "n sur 10", "n out of 5" (the first such wins), or else holds exactly one standalone number of one or
two digits; a number out of range, several numbers, or none is no answer.
The figures (NPS, CSAT, CES) are computed by ``inbox.charter.survey_scales``, which the reports share.
"""

from __future__ import annotations

import re

from inbox.charter.survey_scales import RANGES, SurveyFigures, figures

__all__ = ["RANGES", "SurveyFigures", "figures", "only_a_score", "parse_score"]

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
