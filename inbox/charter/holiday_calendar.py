"""Public holidays by country code (the `holidays` package, data shipped inside it), and every-year dates.

Pure: no clock, no network. A code is a country (ISO 3166-1, ``"FR"``) with an optional subdivision after a
dash (``"FR-57"``); ``FR-67`` and ``FR-68`` (Bas-Rhin, Haut-Rhin) are read as the package's ``FR-6AE``
(Alsace), so Alsace-Moselle adds Good Friday and 26 December. The dates of one code and year are computed on
first use and cached for the process; the package covers years up to 2100.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Annotated

import holidays
from pydantic import AfterValidator, PlainSerializer, PlainValidator

SUBDIVISION_ALIASES = {"FR-67": "FR-6AE", "FR-68": "FR-6AE"}  # départements the package groups as Alsace
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@cache
def _supported() -> dict[str, list[str]]:
    return holidays.list_supported_countries()


def _split(code: str) -> tuple[str, str | None]:
    country, _, subdivision = SUBDIVISION_ALIASES.get(code, code).partition("-")
    return country, subdivision or None


def check_code(code: str) -> str:
    """``code`` when the package knows its country and subdivision; ValueError saying what is allowed."""
    country, subdivision = _split(code)
    supported = _supported()
    if country not in supported:
        hint = f"; write it in capitals: {code.upper()!r}" if country.upper() in supported else ""
        raise ValueError(
            f"unknown country {country!r} for public holidays{hint}; give an ISO 3166-1 code such as "
            "'FR', 'BE' or 'DE', with an optional subdivision such as 'FR-57'"
        )
    if subdivision is not None and subdivision not in supported[country]:
        known = ", ".join(supported[country]) or "none"
        aliases = ", ".join(k for k in SUBDIVISION_ALIASES if k.startswith(f"{country}-"))
        raise ValueError(
            f"unknown subdivision {subdivision!r} of {country}; known: {known}"
            + (f" (and {aliases})" if aliases else "")
        )
    return code


HolidayCode = Annotated[str, AfterValidator(check_code)]


@lru_cache(maxsize=1024)
def public_holidays(code: str, year: int) -> frozenset[dt.date]:
    """The public holidays of ``code`` (checked with ``check_code``) in ``year``; empty past 2100."""
    country, subdivision = _split(code)
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@dataclass(frozen=True, slots=True, order=True)
class MonthDay:
    """A date that comes back every year; 02-29 only in leap years."""

    month: int
    day: int

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def parse_day(value: object) -> dt.date | MonthDay:
    """A TOML date or ``"YYYY-MM-DD"`` → that date; ``"MM-DD"`` → that day every year."""
    if isinstance(value, dt.date | MonthDay) and not isinstance(value, dt.datetime):
        return value
    text = value.strip() if isinstance(value, str) else ""
    match = _MONTH_DAY.match(text)
    try:
        if match:
            month, day = int(match[1]), int(match[2])
            dt.date(2000, month, day)  # a leap year: 02-29 is a real day
            return MonthDay(month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(
        f'a date (2026-12-24) for that day only, or a text such as "12-24" for every year, got {value!r}'
    )


def _day_out(value: dt.date | MonthDay) -> dt.date | str:
    return str(value) if isinstance(value, MonthDay) else value


Day = Annotated[dt.date | MonthDay, PlainValidator(parse_day), PlainSerializer(_day_out)]
