"""Value types shared by the charter models: names, the closed vocabularies, texts with checked variables."""

from __future__ import annotations

import re
from collections.abc import Callable
from string import Formatter
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Field

Urgency = Literal["low", "normal", "high", "critical"]
Kind = Literal["public", "private", "listening"]
Metric = Literal["first_response", "next_response", "resolution"]
Clock = Literal["24/7", "business_hours"]

URGENCIES: tuple[Urgency, ...] = get_args(Urgency)
KINDS: tuple[Kind, ...] = get_args(Kind)
METRICS: tuple[Metric, ...] = get_args(Metric)

MAX_MINUTES = 60 * 24 * 30  # a target longer than 30 days is a typo

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")


def _name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(f"use lower-case letters, digits, '-' or '_' (at most 64), got {value!r}")
    return value


def is_name(value: str) -> bool:
    """Whether ``value`` is a name as the charter writes them (also a team of agents' name)."""
    return bool(_NAME.match(value))


def _env_name(value: str) -> str:
    if not _ENV.match(value):
        raise ValueError(f"an environment variable name: upper-case letters, digits and '_', got {value!r}")
    return value


# Team, channel, brand and template names (as in config/templates.toml); also the contact tags used as
# customer segments ("vip", "b2b"), which are matched whatever their case in the inbox.
Name = Annotated[str, AfterValidator(_name)]
Tag = Name
EnvName = Annotated[str, AfterValidator(_env_name)]
Minutes = Annotated[int, Field(gt=0, le=MAX_MINUTES)]


def variables(text: str) -> set[str]:
    """The ``{names}`` a text uses. Raises ValueError on a lone brace."""
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def _only(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(text: str) -> str:
        unknown = sorted(variables(text) - set(allowed))
        if unknown:
            shown = ", ".join("{" + v + "}" for v in unknown)
            ok = ", ".join("{" + v + "}" for v in allowed) or "none"
            raise ValueError(f"unknown variable(s) {shown}; allowed: {ok} (write {{{{ and }}}} for braces)")
        return text

    return check


def text_with(*allowed: str) -> AfterValidator:
    """An Annotated marker: a non-empty text whose variables are among ``allowed``."""
    return AfterValidator(_only(allowed))


NonEmpty = Annotated[str, Field(min_length=1, max_length=2000)]
OutOfHoursText = Annotated[NonEmpty, text_with("next_opening_time", "next_opening_day")]
PeakText = Annotated[NonEmpty, text_with("hours")]
SignatureText = Annotated[str, Field(max_length=60), text_with("agent_name", "agent_initials")]
SurveyText = Annotated[NonEmpty, text_with("customer_name", "agent_name")]
